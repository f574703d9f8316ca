namespace CoS.Distributed.Client.Reports;

/// <summary>
/// Matches activations as the sweep file writes them ("ReLU", "SiLU", a formula with spaces) to the cluster's
/// canonical names ("relu", "swish", the formula without spaces), and names them for people: built-ins as the paper
/// does, formulas as written. Kept here rather than asked of the training core so a report never loads TorchSharp.
/// </summary>
public static class ActivationNames
{
    /// <summary>The registry's aliases (ActivationRegistry.Aliases; a test keeps the two equal).</summary>
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal) { ["silu"] = "swish" };

    private static readonly Dictionary<string, string> PaperNames = new(StringComparer.Ordinal)
    {
        ["relu"] = "ReLU",
        ["swish"] = "Swish",
        ["cos"] = "CoS",
        ["mish"] = "Mish",
        ["gelu"] = "GELU",
        ["elu"] = "ELU",
        ["leaky_relu"] = "Leaky ReLU",
        ["sigmoid"] = "Sigmoid",
        ["tanh"] = "Tanh",
        ["softplus"] = "Softplus",
    };

    /// <summary>The key two spellings of one activation share: a name lower-cased and de-aliased, a formula without white space.</summary>
    public static string Key(string activation)
    {
        var text = activation.Trim();
        if (text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            var name = text.ToLowerInvariant();
            return Aliases.TryGetValue(name, out var target) ? target : name;
        }
        return string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
    }

    /// <summary>A built-in's paper name; anything else as the sweep wrote it (<paramref name="written"/>), or as given.</summary>
    public static string Display(string activation, string? written) =>
        PaperNames.TryGetValue(Key(activation), out var paperName) ? paperName : (written ?? activation).Trim();
}
