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
    /// SHA-256 of the canonical JSON without the settings that say where a run computes rather than what: the device
    /// and the thread count. A checkpoint written on cuda:0 resumes on cuda:1 or the CPU and continues the same
    /// training, though not bit for bit (kernels round differently); checkpoint format 2 and later carry this one.
    /// </summary>
    public string Fingerprint()
    {
        var json = JsonSerializer.SerializeToNode(this, CanonicalJson)!.AsObject();
        var training = json[Name(nameof(Training))]!.AsObject();
        training.Remove(Name(nameof(TrainingOptions.Device)));
        training.Remove(Name(nameof(TrainingOptions.Threads)));
        return Hash(json.ToJsonString(CanonicalJson));
    }

    /// <summary>The fingerprint checkpoint format 1 carried: the whole canonical JSON, device and thread count included.</summary>
    public string FingerprintVersion1() => Hash(ToCanonicalJson());

    private static string Name(string member) => CanonicalJson.PropertyNamingPolicy!.ConvertName(member);

    private static string Hash(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
}
