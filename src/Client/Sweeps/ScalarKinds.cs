using System.Globalization;
using System.Text.RegularExpressions;

namespace CoS.Distributed.Client.Sweeps;

/// <summary>
/// How one kind of value is read from a scalar: <paramref name="Expected"/> completes "give …" in messages,
/// <paramref name="Convert"/> gives the value or the problem, <paramref name="Show"/> writes the value the way the
/// sweep validator does (so that its messages can be traced back to the node).
/// </summary>
internal sealed record ScalarKind<T>(string Expected, Func<YamlScalar, (T Value, string? Problem)> Convert, Func<T, string> Show, bool AcceptsText = false)
{
    /// <summary>The value of <paramref name="scalar"/>, or the whole message: what is wrong and what to give instead.</summary>
    public string? Read(YamlScalar scalar, out T value)
    {
        value = default!;
        if (scalar.IsText && !AcceptsText) return $"'{scalar.Value}' is quoted, which makes it text; write it without quotes";
        var (converted, problem) = Convert(scalar);
        if (problem is not null) return $"{problem}; give {Expected}";
        value = converted;
        return null;
    }
}

/// <summary>
/// The scalar kinds of a sweep file, after YAML 1.2's core schema: plain 3 is a number, quoted "3" is text, and
/// yes/no/on/off are text rather than booleans.
/// </summary>
internal static partial class ScalarKinds
{
    public static ScalarKind<string> Text(string expected) => new(expected, s => (s.Value, null), v => v, AcceptsText: true);

    public static ScalarKind<int> WholeNumber(string expected) => new(expected, s =>
    {
        var (value, problem) = ReadWhole(s);
        if (problem is not null) return (0, problem);
        return value is >= int.MinValue and <= int.MaxValue ? ((int)value, null) : (0, $"{s.Value} is too large");
    }, v => v.ToString(CultureInfo.InvariantCulture));

    public static ScalarKind<long> Seed(string expected) =>
        new(expected, ReadWhole, v => v.ToString(CultureInfo.InvariantCulture));

    public static ScalarKind<double> Number(string expected) => new(expected, s =>
    {
        if (s.Value.ToLowerInvariant() is ".inf" or "+.inf" or "-.inf" or ".nan")
            return (0, $"{s.Value} is not a finite number");
        return DecimalPattern().IsMatch(s.Value) && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? (value, null)
            : (0, $"{Describe(s)} is not a number");
    }, v => (v == 0 ? 0.0 : v).ToString("R", CultureInfo.InvariantCulture));

    public static ScalarKind<bool> Flag(string expected) => new(expected, s =>
    {
        return s.Value switch
        {
            "true" or "True" or "TRUE" => (true, null),
            "false" or "False" or "FALSE" => (false, null),
            _ when s.Value.ToLowerInvariant() is "yes" or "no" or "on" or "off" or "y" or "n" =>
                (false, $"'{s.Value}' is not true or false (YAML 1.2 reads it as text)"),
            _ => (false, $"{Describe(s)} is not true or false"),
        };
    }, v => v ? "true" : "false");

    /// <summary>How a node reads in a message: its text, or what kind of node it is.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlScalar { IsNull: true } => "no value",
        YamlScalar s => $"'{s.Value}'",
        YamlList => "a list",
        _ => "a mapping (key: value lines)",
    };

    private static (long Value, string? Problem) ReadWhole(YamlScalar s)
    {
        if (WholePattern().IsMatch(s.Value))
        {
            return long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? (value, null)
                : (0, $"{s.Value} is too large");
        }
        return DecimalPattern().IsMatch(s.Value) ? (0, $"{s.Value} is not a whole number") : (0, $"{Describe(s)} is not a whole number");
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex WholePattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex DecimalPattern();
}
