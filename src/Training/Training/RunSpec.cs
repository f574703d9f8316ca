using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CoS.Distributed.Training.Data;

namespace CoS.Distributed.Training.Training;

/// <summary>
/// Everything that determines one training run: data, network, activation, seed and training options.
/// Two runs with equal specs (and equal thread counts on CPU) produce bitwise-equal metrics.
/// </summary>
public sealed record RunSpec
{
    public required DatasetOptions Dataset { get; init; }

    /// <summary>A name from ModelCatalog.Names, e.g. "shufflenet_v2_x1_0".</summary>
    public required string Model { get; init; }

    /// <summary>A registered activation name ("cos", "relu", …) or a formula in x.</summary>
    public required string Activation { get; init; }

    public long Seed { get; init; }

    /// <summary>MobileNetV2 width multiplier; null for the model's default.</summary>
    public double? WidthMultiplier { get; init; }

    /// <summary>Hidden layers of the fully connected network (mlp only); null for the default.</summary>
    public int? Depth { get; init; }

    /// <summary>Units per hidden layer of the fully connected network (mlp only); null for the default.</summary>
    public int? Width { get; init; }

    public TrainingOptions Training { get; init; } = new();

    private static readonly JsonSerializerOptions CanonicalJson = new()
    {
        WriteIndented = false,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The spec as canonical JSON: fixed member order, invariant number formatting.</summary>
    public string ToCanonicalJson() => JsonSerializer.Serialize(this, CanonicalJson);

    /// <summary>
    /// SHA-256 of the canonical JSON, without the settings that do not change results (device is kept: CPU and
    /// GPU kernels differ numerically).
    /// </summary>
    public string Fingerprint()
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(ToCanonicalJson()));
        return Convert.ToHexStringLower(bytes);
    }
}
