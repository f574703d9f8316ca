using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoS.Distributed.Training.Tests.Models;

/// <summary>What tests/Training.Tests/Fixtures/make_model_fixtures.py recorded from torchvision (see that script's header).</summary>
internal static class TorchvisionReference
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Models");

    private static readonly Lazy<ArchitecturesFile> File = new(() =>
    {
        using var stream = System.IO.File.OpenRead(Path.Combine(Folder, "architectures.json"));
        return JsonSerializer.Deserialize<ArchitecturesFile>(stream)
            ?? throw new InvalidDataException("architectures.json is empty; regenerate it with tests/Training.Tests/Fixtures/make_model_fixtures.py.");
    });

    /// <summary>The torchvision-based catalog names the fixture covers.</summary>
    public static IEnumerable<string> Names => File.Value.Models.Keys;

    public static Architecture For(string name) => File.Value.Models[name];

    /// <summary>The width multipliers at which torchvision's mobilenet_v2 was recorded, as written in the fixture.</summary>
    public static IEnumerable<string> MobileNetWidths => File.Value.MobileNetWidths.Keys;

    public static Architecture MobileNetAtWidth(string width) => File.Value.MobileNetWidths[width];

    public static string StateDictPath(string name) => Path.Combine(Folder, $"{name}.state_dict.pt");

    public static string InputOutputPath(string name) => Path.Combine(Folder, $"{name}.io.pt");

    internal sealed record ArchitecturesFile(
        [property: JsonPropertyName("num_classes")] int NumClasses,
        [property: JsonPropertyName("models")] Dictionary<string, Architecture> Models,
        [property: JsonPropertyName("mobilenet_v2_width_multipliers")] Dictionary<string, Architecture> MobileNetWidths);

    internal sealed record Architecture(
        [property: JsonPropertyName("init_seed")] int? InitSeed,
        [property: JsonPropertyName("parameters")] long Parameters,
        [property: JsonPropertyName("relu_modules")] int ReluModules,
        [property: JsonPropertyName("state")] IReadOnlyList<StateEntry> State);

    internal sealed record StateEntry(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("shape")] long[] Shape,
        [property: JsonPropertyName("dtype")] string Dtype,
        [property: JsonPropertyName("head")] double[]? Head,
        [property: JsonPropertyName("mean")] double? Mean,
        [property: JsonPropertyName("std")] double? Std);
}
