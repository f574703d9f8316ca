using System.Text;
using CoS.Distributed.Grains.Sweeps;
using YamlDotNet.Core;

namespace CoS.Distributed.Client.Sweeps;

/// <summary>
/// Reads a sweep file: YAML that declares a <see cref="CoS.Distributed.Grains.Interfaces.Sweeps.SweepSpec"/>.
/// Every problem — syntax, unknown or repeated keys (with a did-you-mean), wrong types, missing keys, and every rule of
/// <see cref="SweepValidator"/> — is reported in one pass with its file, line, column and key, before any work starts.
/// The full reference with examples is src/Client/Sweeps/FORMAT.md; in short:
/// <code>
/// name: quickstart              # optional; default: the file name, lower-cased, other characters as '-'
/// dataset: fashion-mnist        # a name; or {name, path, train_per_class, test_per_class, subset_seed}; or a list of these
/// models: [small_cnn]           # 'model:' also; one value or a list
/// activations: [relu, swish, cos, "x*tanh(softplus(x))"]   # 'activation:' also; names or formulas in x
/// baseline: relu                # optional; compared against in reports; must be one of the activations
/// seeds: 5                      # a count n means seeds 0 … n−1; a list [1, 2, 3] gives the seeds themselves
/// training:                     # every key optional; one value is a setting, a list is an axis of the sweep
///   epochs: 10                  # batch_size 128, optimizer sgd|adam, learning_rate 0.1, momentum 0.9, nesterov false,
///   learning_rate: [0.1, 0.05]  # weight_decay 5e-4, schedule cosine|step|constant, warmup_epochs 0, label_smoothing 0,
///                               # augment false, width_multiplier / depth / width (model default), step_epochs 30, step_gamma 0.1
/// checkpoint_every: 1           # epochs between checkpoints (and always after the last)
/// max_attempts: 3               # attempts a cell gets before it ends as failed
/// max_slot_losses: 3            # times a cell may lose its slot (silo died, lease lapsed) before it ends as failed
/// keep_checkpoints: 2           # checkpoints kept per cell
/// </code>
/// Values follow YAML 1.2: plain 3 is a number, quoted "3" is text; true/false are the only booleans.
/// A relative data set path is taken from the sweep file's folder (and ~/ from the home folder).
/// </summary>
public static class SweepFile
{
    private const string FormatHint = "see src/Client/Sweeps/FORMAT.md";

    /// <summary>
    /// Reads the sweep file at <paramref name="path"/>. With <paramref name="checkDataFolders"/> false, data sets missing
    /// on this machine are not problems: for a submission to a cluster, whose silos check their own folders.
    /// </summary>
    public static SweepFileResult Load(string path, bool checkDataFolders = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            if (Directory.Exists(path)) return Failure(path, "this is a folder, not a sweep file; give the path of a .yaml file such as sweeps/quickstart.yaml");
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Failure(path, "no such file; check the path (the shipped sweeps are in the repository's sweeps/ folder, such as sweeps/quickstart.yaml)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Failure(path, $"the file cannot be read ({e.Message}); check that the file is readable by this user");
        }
        return Parse(text, path, checkDataFolders);
    }

    /// <summary>
    /// Reads a sweep from <paramref name="yaml"/>. <paramref name="fileName"/> names the file in messages, gives the
    /// default sweep name, and its folder is where relative data set paths start.
    /// </summary>
    public static SweepFileResult Parse(string yaml, string fileName, bool checkDataFolders = true)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(fileName);

        IReadOnlyList<YamlNode> documents;
        try
        {
            documents = YamlTree.Read(yaml);
        }
        catch (YamlException e)
        {
            var message = $"YAML syntax error: {YamlTree.Describe(e)}";
            var (line, column) = ((int)Math.Clamp(e.Start.Line, 0, int.MaxValue), (int)Math.Clamp(e.Start.Column, 0, int.MaxValue));
            // YamlDotNet places a tab in the indentation at the start of the enclosing mapping; the tab itself is more use.
            if (FirstIndentTab(yaml) is { } tab && (message.Contains("tab", StringComparison.Ordinal) || tab.Line == line))
            {
                (line, column) = tab;
                message += " (this line indents with a tab: YAML indents with spaces only)";
            }
            return SweepFileResult.Failure([new SweepFileError(fileName, line, column, "", message)]);
        }

        if (documents.Count == 0 || (documents.Count == 1 && documents[0] is YamlScalar { IsNull: true }))
            return Failure(fileName, $"the file is empty; a sweep needs at least dataset, models, activations and seeds ({FormatHint})");

        var folder = Path.GetDirectoryName(Path.GetFullPath(fileName)) ?? Directory.GetCurrentDirectory();
        var reader = new SweepFileReader(fileName, folder);
        var spec = reader.Read(documents[0], NameFromFile(fileName));
        var errors = new List<SweepFileError>(reader.Errors);
        foreach (var extra in documents.Skip(1))
        {
            errors.Add(new SweepFileError(fileName, extra.Line, extra.Column, "",
                "a second YAML document (after ---): a sweep file holds one sweep; put each sweep in its own file"));
        }
        if (spec is not null)
            errors.AddRange(ValidatorProblems.Place(SweepValidator.Validate(spec), reader, fileName, checkDataFolders));

        return errors.Count == 0 && spec is not null
            ? SweepFileResult.Success(spec)
            : SweepFileResult.Failure([.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column)]);
    }

    /// <summary>
    /// The sweep name a file gives when it has no name key: its name without extension, lower-cased, with runs of other
    /// characters as one '-' ("Paper CIFAR10.yaml" → "paper-cifar10"); null when nothing usable is left.
    /// </summary>
    public static string? NameFromFile(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var builder = new StringBuilder();
        foreach (var c in Path.GetFileNameWithoutExtension(fileName).ToLowerInvariant())
        {
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.') builder.Append(c);
            else if (builder.Length > 0 && builder[^1] != '-') builder.Append('-');
        }
        var name = builder.ToString().TrimStart('-', '_', '.').TrimEnd('-');
        if (name.Length > SweepValidator.MaxNameLength) name = name[..SweepValidator.MaxNameLength].TrimEnd('-');
        return SweepValidator.IsUsableName(name) ? name : null;
    }

    private static (int Line, int Column)? FirstIndentTab(string yaml)
    {
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && tab < indent) return (i + 1, tab + 1);
        }
        return null;
    }

    private static SweepFileResult Failure(string file, string message) =>
        SweepFileResult.Failure([new SweepFileError(file, 0, 0, "", message)]);
}
