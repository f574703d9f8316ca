using System.Text.RegularExpressions;

namespace CoS.Distributed.Client.Sweeps;

/// <summary>
/// Places the sweep validator's problems on the lines they concern. The validator names fields in the spec's terms
/// ("training.learning_rates: 0 is not …"); the reader knows which node each field, and each of its values, came
/// from, so a problem lands on the value it is about and speaks of keys as the file writes them.
/// </summary>
internal static partial class ValidatorProblems
{
    public static IEnumerable<SweepFileError> Place(IReadOnlyList<string> problems, SweepFileReader reader, string file, bool checkDataFolders)
    {
        var document = reader.Document ?? throw new InvalidOperationException("the reader has not read a document");
        foreach (var problem in problems)
        {
            var match = FieldPrefix().Match(problem);
            var field = match.Success ? match.Groups["field"].Value : null;
            if (field is null || !(reader.Keys.ContainsKey(field) || DatasetField().IsMatch(field)))
            {
                yield return new SweepFileError(file, document.Line, document.Column, "", Rewrite(problem, reader));
                continue;
            }

            var rest = problem[match.Length..];
            if (Concerns(problem, field, reader)) continue;
            if (!checkDataFolders && IsDataFolderProblem(field, rest)) continue;

            var (node, key) = Locate(field, rest, reader, document);
            yield return new SweepFileError(file, node.Line, node.Column, key, Rewrite(rest, reader));
        }
    }

    // A problem about a field the reader already reported (unreadable, missing) would only repeat it, or is an
    // artefact of the default put in its place.
    private static bool Concerns(string problem, string field, SweepFileReader reader) =>
        reader.AlreadyReported(field)
        || reader.AlreadyReported(field.Split('[')[0])
        || reader.Keys.Keys.Any(f => reader.AlreadyReported(f) && Regex.IsMatch(problem, $@"(?<![\w.]){Regex.Escape(f)}(?![\w\[])"));

    // Whether the data is present is a fact about the machine that trains, not about the file.
    private static bool IsDataFolderProblem(string field, string rest) =>
        (DatasetField().Match(field) is { Success: true } m && m.Groups["sub"].Value.Length == 0 && rest.Contains("standard location", StringComparison.Ordinal))
        || (field.EndsWith("].path", StringComparison.Ordinal) && rest.Contains("does not exist", StringComparison.Ordinal));

    private static (YamlNode Node, string Key) Locate(string field, string rest, SweepFileReader reader, YamlNode document)
    {
        var source = Source(field, reader);
        if (source is null)
        {
            // A field left at its default: the section it belongs to, else the top of the file.
            var key = reader.Keys.GetValueOrDefault(field, field);
            var section = field.StartsWith("training.", StringComparison.Ordinal) && reader.Sources.TryGetValue("training", out var training)
                ? training.Node
                : document;
            return (section, key);
        }
        return Item(source.Items, rest) is { } item ? (item.Node, item.Key) : (source.Node, source.Key);
    }

    private static FieldSource? Source(string field, SweepFileReader reader)
    {
        if (reader.Sources.TryGetValue(field, out var source)) return source;
        var dataset = DatasetField().Match(field);
        if (!dataset.Success) return null;
        return reader.Sources.GetValueOrDefault($"datasets[{dataset.Groups["index"].Value}]") ?? reader.Sources.GetValueOrDefault("datasets");
    }

    /// <summary>
    /// The value a problem is about: the one written earliest in the message (a message names its subject first),
    /// the longest at that place; for "lists X more than once", the repeat rather than the first.
    /// </summary>
    private static ItemSource? Item(IReadOnlyList<ItemSource> items, string rest)
    {
        var found = items
            .SelectMany(item => item.Shown.Select(shown => (Item: item, Shown: shown, Position: Find(rest, shown))))
            .Where(c => c.Position >= 0)
            .OrderBy(c => c.Position)
            .ThenByDescending(c => c.Shown.Length)
            .ToList();
        if (found.Count == 0) return null;
        var same = found
            .Where(c => c.Position == found[0].Position && c.Shown.Length == found[0].Shown.Length)
            .Select(c => c.Item)
            .Distinct()
            .ToList();
        return rest.StartsWith("lists ", StringComparison.Ordinal) && same.Count > 1 ? same[1] : same[0];
    }

    // Where shown stands on its own in text: "2" is not found inside "-2", "12" or "2.5".
    private static int Find(string text, string shown)
    {
        if (shown.Length == 0) return -1;
        for (var at = text.IndexOf(shown, StringComparison.Ordinal); at >= 0; at = text.IndexOf(shown, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 ? ' ' : text[at - 1];
            var end = at + shown.Length;
            var after = end == text.Length ? ' ' : text[end];
            if (!(char.IsLetterOrDigit(before) || before is '_' or '.' or '-') && !(char.IsLetterOrDigit(after) || after is '_' || (after == '.' && end + 1 < text.Length && char.IsDigit(text[end + 1]))))
                return at;
        }
        return -1;
    }

    /// <summary>
    /// The validator's field names in the message, written as the file's keys. Only identifier-like names (with '_' or
    /// '.') and "momenta" are replaced: plain words such as "models" are English too.
    /// </summary>
    private static string Rewrite(string message, SweepFileReader reader)
    {
        foreach (var (field, key) in reader.Keys.OrderByDescending(k => k.Key.Length))
        {
            if (field == key) continue;
            message = ReplaceName(message, field, key);
            var bare = field[(field.LastIndexOf('.') + 1)..];
            var bareKey = key[(key.LastIndexOf('.') + 1)..];
            if (bare != bareKey && (bare.Contains('_', StringComparison.Ordinal) || bare == "momenta"))
                message = ReplaceName(message, bare, bareKey);
        }
        return message;
    }

    private static string ReplaceName(string message, string name, string replacement) =>
        !(name.Contains('_', StringComparison.Ordinal) || name.Contains('.', StringComparison.Ordinal) || name == "momenta")
            ? message
            : Regex.Replace(message, $@"(?<![\w.]){Regex.Escape(name)}(?![\w\[])", replacement.Replace("$", "$$", StringComparison.Ordinal));

    [GeneratedRegex(@"^(?<field>datasets\[\d+\](?:\.[a-z_]+)?|[a-z_]+(?:\.[a-z_]+)?)(?::)? ")]
    private static partial Regex FieldPrefix();

    [GeneratedRegex(@"^datasets\[(?<index>\d+)\](?<sub>\.[a-z_]+)?$")]
    private static partial Regex DatasetField();
}
