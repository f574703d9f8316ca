using CoS.Distributed.Training.Activations;
using ScottPlot;

namespace CoS.Distributed.Client.Plots;

/// <summary>
/// How an activation appears in every plot: its display name and its colour. A built-in activation always has the same
/// colour (ReLU blue, Swish orange, CoS green …), so figures can be compared at a glance; a formula takes a colour from
/// a second palette chosen by its text.
/// </summary>
public static class ActivationStyle
{
    private static readonly Dictionary<string, (string Display, Color Colour)> BuiltIns = new(StringComparer.Ordinal)
    {
        ["relu"] = ("ReLU", Color.FromHex("#1F77B4")),
        ["swish"] = ("Swish", Color.FromHex("#FF7F0E")),
        ["cos"] = ("CoS", Color.FromHex("#2CA02C")),
        ["mish"] = ("Mish", Color.FromHex("#D62728")),
        ["gelu"] = ("GELU", Color.FromHex("#9467BD")),
        ["elu"] = ("ELU", Color.FromHex("#8C564B")),
        ["leaky_relu"] = ("Leaky ReLU", Color.FromHex("#E377C2")),
        ["sigmoid"] = ("Sigmoid", Color.FromHex("#7F7F7F")),
        ["tanh"] = ("Tanh", Color.FromHex("#BCBD22")),
        ["softplus"] = ("Softplus", Color.FromHex("#17BECF")),
    };

    // Darker tones than the built-ins' and none near ReLU, Swish or CoS, so a formula plotted beside them stands apart.
    private static readonly Color[] FormulaPalette = new[] { "#393B79", "#00766C", "#AD494A", "#8B0A50", "#7B4173", "#5254A3", "#B8860B", "#4A6274" }
        .Select(hex => Color.FromHex(hex)).ToArray();

    // Longer names would widen the legend beside the plot at the cost of the data area.
    private const int LongestLegendName = 28;

    /// <summary>The name a plot shows: "ReLU", "CoS", "Leaky ReLU" for built-ins (any spelling or alias), else the formula text, shortened if long.</summary>
    public static string DisplayName(string activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (BuiltInKey(activation) is { } key) return BuiltIns.TryGetValue(key, out var style) ? style.Display : key;
        var text = activation.Trim();
        return text.Length <= LongestLegendName ? text : string.Concat(text.AsSpan(0, LongestLegendName - 1), "…");
    }

    /// <summary>The colour of a built-in activation, the same in every plot; null for a formula (see <see cref="Colours"/>).</summary>
    public static Color? BuiltInColour(string activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        return BuiltInKey(activation) is { } key && BuiltIns.TryGetValue(key, out var style) ? style.Colour : null;
    }

    /// <summary>
    /// A colour for each activation of one figure: built-ins their own; formulas one from the formula palette picked by
    /// their text, moving on to the next free one when another formula of the figure already holds it.
    /// </summary>
    public static IReadOnlyDictionary<string, Color> Colours(IEnumerable<string> activations)
    {
        ArgumentNullException.ThrowIfNull(activations);
        var colours = new Dictionary<string, Color>(StringComparer.Ordinal);
        var taken = new HashSet<int>();
        foreach (var activation in activations.Distinct(StringComparer.Ordinal).OrderBy(a => a, StringComparer.Ordinal))
        {
            if (BuiltInColour(activation) is { } builtIn)
            {
                colours[activation] = builtIn;
                continue;
            }
            var start = StableHash(activation.Trim()) % FormulaPalette.Length;
            var index = Enumerable.Range(0, FormulaPalette.Length)
                .Select(step => (start + step) % FormulaPalette.Length)
                .FirstOrDefault(i => !taken.Contains(i), start);
            taken.Add(index);
            colours[activation] = FormulaPalette[index];
        }
        return colours;
    }

    /// <summary>Built-ins first in the registry's order (ReLU, Swish, CoS …), then formulas by text: the order of legends.</summary>
    public static IEnumerable<string> InLegendOrder(IEnumerable<string> activations)
    {
        ArgumentNullException.ThrowIfNull(activations);
        return activations
            .OrderBy(a => BuiltInKey(a) is { } key ? IndexOf(key) : int.MaxValue)
            .ThenBy(a => a, StringComparer.Ordinal);
    }

    private static int IndexOf(string builtInName)
    {
        for (var i = 0; i < ActivationRegistry.Names.Count; i++)
            if (ActivationRegistry.Names[i] == builtInName) return i;
        return int.MaxValue - 1;
    }

    private static string? BuiltInKey(string activation) =>
        ActivationRegistry.TryGet(activation, out var builtIn) ? builtIn.Name : null;

    // string.GetHashCode changes from process to process; a formula must keep its colour between runs of the tool.
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return (int)(hash & 0x7FFFFFFF);
    }
}
