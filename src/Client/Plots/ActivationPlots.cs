using CoS.Distributed.Training.Activations;
using ScottPlot;

namespace CoS.Distributed.Client.Plots;

/// <summary>The paper's Figures 4–8: activations and their derivatives over a range of inputs, each set in one PNG.</summary>
public static class ActivationPlots
{
    /// <summary>File name of the plot of the functions' values.</summary>
    public const string ValuesFileName = "activations.png";

    /// <summary>File name of the plot of their derivatives.</summary>
    public const string DerivativesFileName = "activation-derivatives.png";

    /// <summary>Samples per curve: smooth at 900 pixels wide and still shows ReLU's kink at 0 sharply.</summary>
    public const int Points = 801;

    /// <summary>
    /// Writes <see cref="ValuesFileName"/> (f(x)) and <see cref="DerivativesFileName"/> (f′(x)) into
    /// <paramref name="outDirectory"/> (created if missing) for <paramref name="activations"/>: built-in names or
    /// formulas in x, as a sweep file takes them. Returns the two paths.
    /// </summary>
    /// <exception cref="ArgumentException">No activation is given, a name is unknown, or the range is empty.</exception>
    /// <exception cref="FormulaException">A formula is malformed or not finite.</exception>
    /// <exception cref="InvalidOperationException">No font is installed: the plots would carry no text.</exception>
    public static IReadOnlyList<string> Write(IReadOnlyList<string> activations, string outDirectory, double from = -5, double to = 5)
    {
        ArgumentNullException.ThrowIfNull(activations);
        ArgumentException.ThrowIfNullOrWhiteSpace(outDirectory);
        if (activations.Count == 0)
            throw new ArgumentException(
                $"no activation to plot; give one or more names ({string.Join(", ", ActivationRegistry.Names)}) or formulas in x.",
                nameof(activations));

        // "silu" and "swish" are one function: resolve first, then plot each function once.
        var curves = activations
            .Select(ActivationRegistry.Resolve)
            .DistinctBy(a => a.Name, StringComparer.Ordinal)
            .Select(a => a.Curve(from, to, Points))
            .ToList();
        var colours = ActivationStyle.Colours(curves.Select(c => c.Name));
        var ordered = ActivationStyle.InLegendOrder(curves.Select(c => c.Name))
            .Select(name => curves.First(c => c.Name == name))
            .ToList();

        return
        [
            Draw(ordered, colours, c => c.Value, "Activation functions", "f(x)", outDirectory, ValuesFileName),
            Draw(ordered, colours, c => c.Derivative, "Derivatives of the activation functions", "f′(x)", outDirectory, DerivativesFileName),
        ];
    }

    private static string Draw(
        IReadOnlyList<ActivationCurve> curves, IReadOnlyDictionary<string, Color> colours, Func<ActivationCurve, IReadOnlyList<double>> ys,
        string title, string yLabel, string outDirectory, string fileName)
    {
        using var plot = Figure.Create(title, "x", yLabel);
        var axisColour = Color.FromHex("#9A9A9A");
        plot.Add.HorizontalLine(0, 1, axisColour);
        plot.Add.VerticalLine(0, 1, axisColour);

        foreach (var curve in curves)
        {
            var legend = ActivationStyle.DisplayName(curve.Name);
            // A formula can overflow at the edge of a wide range: draw the finite stretches, each as its own line.
            foreach (var (xs, segment) in FiniteStretches(curve.X, ys(curve)))
            {
                var line = plot.Add.ScatterLine(xs, segment, colours[curve.Name]);
                line.LineWidth = 2.5f;
                line.LegendText = legend;
                legend = "";
            }
        }
        // The curves span the requested range exactly; only the values need room above and below.
        plot.Axes.Margins(horizontal: 0, vertical: 0.06);
        return Figure.Save(plot, outDirectory, fileName);
    }

    private static IEnumerable<(double[] X, double[] Y)> FiniteStretches(IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        var start = 0;
        for (var i = 0; i <= xs.Count; i++)
        {
            if (i < xs.Count && double.IsFinite(ys[i])) continue;
            if (i > start) yield return (xs.Skip(start).Take(i - start).ToArray(), ys.Skip(start).Take(i - start).ToArray());
            start = i + 1;
        }
    }
}
