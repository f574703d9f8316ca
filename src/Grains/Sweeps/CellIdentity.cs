using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Training.Activations;

namespace CoS.Distributed.Grains.Sweeps;

/// <summary>
/// Cell and group ids: a SHA-256 of a cell's canonical configuration, so equal configurations get equal ids however
/// they were written ("SiLU" or " swish", "x * sigmoid(x)" or "x*sigmoid(x)").
/// </summary>
/// <remarks>
/// Ids are the first 16 hex digits (64 bits) of the hash: short enough for grain keys and blob names, and among a
/// million distinct configurations the chance that any two share an id is about n²/2⁶⁵ ≈ 3·10⁻⁸.
/// Every field of the cell is part of its identity, settings a run ignores (momentum under Adam) included, and an
/// unset model-shape setting (null) is not the same configuration as its default value written out.
/// Changing the canonical form changes every id: bump the domain version when doing so on purpose.
/// </remarks>
public static class CellIdentity
{
    /// <summary>Hex digits in an id.</summary>
    public const int IdLength = 16;

    private const string CellDomain = "cos.cell.v1\n";
    private const string GroupDomain = "cos.group.v1\n";

    // Formulas keep '+', '<' and quotes readable; the default encoder would write them as \u escapes.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The id of the cell: its canonical configuration, seed included.</summary>
    public static string CellId(CellSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Hash(CellDomain, Canonical(spec));
    }

    /// <summary><see cref="CellId"/> of a spec that is already canonical (skips normalising it again).</summary>
    internal static string CellIdOfCanonical(CellSpec canonical) => Hash(CellDomain, canonical);

    /// <summary><see cref="GroupId"/> of a spec that is already canonical.</summary>
    internal static string GroupIdOfCanonical(CellSpec canonical) => Hash(GroupDomain, canonical with { Seed = 0 });

    /// <summary>The id of the cell's group: the cells that differ from it only in seed share it.</summary>
    public static string GroupId(CellSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Hash(GroupDomain, Canonical(spec with { Seed = 0 }));
    }

    /// <summary>
    /// The cell with its names normalised: data set, model, optimizer and schedule trimmed and lower-cased,
    /// activations by their registry name, formulas without white space, data set folders without a trailing '/'.
    /// </summary>
    public static CellSpec Canonical(CellSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec with
        {
            Dataset = Canonical(spec.Dataset),
            Model = CanonicalName(spec.Model),
            Activation = CanonicalActivation(spec.Activation),
            Optimizer = CanonicalName(spec.Optimizer),
            Schedule = CanonicalName(spec.Schedule),
        };
    }

    /// <summary>The data set with its name trimmed and lower-cased and its folder without trailing separators.</summary>
    public static DatasetSpec Canonical(DatasetSpec dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset with { Name = CanonicalName(dataset.Name), Path = CanonicalPath(dataset.Path) };
    }

    /// <summary>A name as ids compare it: trimmed, lower-cased.</summary>
    public static string CanonicalName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant();
    }

    /// <summary>
    /// A built-in activation's registry name for any of its spellings ("SiLU" → "swish"); otherwise the text as a
    /// formula with its white space removed (the formula grammar never needs white space between tokens).
    /// </summary>
    public static string CanonicalActivation(string activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (ActivationRegistry.TryGet(activation, out var builtIn)) return builtIn.Name;
        var text = activation.Trim();
        // A bare word that is no built-in is a typo of a name, not a formula; names compare without case.
        if (text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')) return text.ToLowerInvariant();
        return string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
    }

    /// <summary>
    /// The canonical form the ids hash: JSON with a fixed member order, invariant numbers (shortest round-trip
    /// doubles) and normalised names.
    /// </summary>
    public static string CanonicalJson(CellSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Json(Canonical(spec));
    }

    private static string Json(CellSpec cell)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(buffer, cell);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(ArrayBufferWriter<byte> buffer, CellSpec cell)
    {
        using var json = new Utf8JsonWriter(buffer, WriterOptions);
        json.WriteStartObject();
        json.WriteStartObject("dataset");
        json.WriteString("name", cell.Dataset.Name);
        WriteNullable(json, "path", cell.Dataset.Path);
        WriteNullable(json, "train_per_class", cell.Dataset.TrainPerClass);
        WriteNullable(json, "test_per_class", cell.Dataset.TestPerClass);
        json.WriteNumber("subset_seed", cell.Dataset.SubsetSeed);
        json.WriteEndObject();
        json.WriteString("model", cell.Model);
        json.WriteString("activation", cell.Activation);
        json.WriteNumber("seed", cell.Seed);
        WriteNullable(json, "width_multiplier", cell.WidthMultiplier);
        WriteNullable(json, "depth", cell.Depth);
        WriteNullable(json, "width", cell.Width);
        json.WriteNumber("epochs", cell.Epochs);
        json.WriteNumber("batch_size", cell.BatchSize);
        json.WriteString("optimizer", cell.Optimizer);
        WriteDouble(json, "learning_rate", cell.LearningRate);
        WriteDouble(json, "momentum", cell.Momentum);
        json.WriteBoolean("nesterov", cell.Nesterov);
        WriteDouble(json, "weight_decay", cell.WeightDecay);
        json.WriteString("schedule", cell.Schedule);
        json.WriteNumber("warmup_epochs", cell.WarmupEpochs);
        WriteDouble(json, "label_smoothing", cell.LabelSmoothing);
        json.WriteBoolean("augment", cell.Augment);
        json.WriteNumber("step_epochs", cell.StepEpochs);
        WriteDouble(json, "step_gamma", cell.StepGamma);
        json.WriteEndObject();
    }

    // SHA-256 over the domain's bytes followed by the canonical JSON's UTF-8 bytes.
    private static string Hash(string domain, CellSpec canonical)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        buffer.Write(Encoding.UTF8.GetBytes(domain));
        Write(buffer, canonical);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, digest);
        return Convert.ToHexStringLower(digest[..(IdLength / 2)]);
    }

    private static string? CanonicalPath(string? path)
    {
        if (path is null) return null;
        var trimmed = path.Trim();
        var end = trimmed.Length;
        while (end > 1 && trimmed[end - 1] is '/' or '\\') end--;
        return trimmed[..end];
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, int? value)
    {
        if (value is int v) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double v) WriteDouble(json, name, v);
        else json.WriteNull(name);
    }

    // Shortest round-trip text; -0 is 0, and NaN or infinity (which validation refuses) still hash instead of throwing.
    private static void WriteDouble(Utf8JsonWriter json, string name, double value)
    {
        if (!double.IsFinite(value))
        {
            json.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
            return;
        }
        json.WritePropertyName(name);
        json.WriteRawValue((value == 0 ? 0.0 : value).ToString("R", CultureInfo.InvariantCulture));
    }
}
