using System.Globalization;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Groups;
using ScottPlot;

namespace CoS.Distributed.Client.Plots;

/// <summary>
/// The paper's Figures 9–14: test accuracy and test loss per epoch, mean ± std over seeds, one line per activation.
/// A figure holds the groups that differ only in activation; each other combination of axes (model, data set, depth,
/// learning rate …) gets its own pair of PNGs.
/// </summary>
public static class CurvePlots
{
    /// <summary>Epochs up to which each epoch is marked with a dot; beyond, dots would merge into the line.</summary>
    private const int MarkedEpochs = 30;

    private static readonly (string Label, Func<CellSpec, object?> Value)[] OtherAxes =
    [
        ("width multiplier", s => s.WidthMultiplier),
        ("depth", s => s.Depth),
        ("width", s => s.Width),
        ("epochs", s => s.Epochs),
        ("batch", s => s.BatchSize),
        ("optimizer", s => s.Optimizer),
        ("lr", s => s.LearningRate),
        ("momentum", s => s.Momentum),
        ("nesterov", s => s.Nesterov),
        ("weight decay", s => s.WeightDecay),
        ("schedule", s => s.Schedule),
        ("warmup", s => s.WarmupEpochs),
        ("label smoothing", s => s.LabelSmoothing),
        ("augment", s => s.Augment),
        ("step epochs", s => s.StepEpochs),
        ("step gamma", s => s.StepGamma),
        ("data", s => s.Dataset.Path),
        ("train per class", s => s.Dataset.TrainPerClass),
        ("test per class", s => s.Dataset.TestPerClass),
        ("subset seed", s => s.Dataset.SubsetSeed),
    ];

    /// <summary>
    /// Writes two PNGs per figure into <paramref name="outDirectory"/> (created if missing), named after the model,
    /// the data set and any other axis that differs between figures of that model and data set, for example
    /// <c>small_cnn-fashion-mnist-test-accuracy.png</c> and <c>small_cnn-fashion-mnist-test-loss.png</c>.
    /// Groups without a configuration or without a completed cell draw nothing. Returns the paths written, in file name order.
    /// </summary>
    /// <exception cref="InvalidOperationException">No font is installed: the plots would carry no text.</exception>
    public static IReadOnlyList<string> Write(IReadOnlyList<GroupStatistics> groups, string outDirectory)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentException.ThrowIfNullOrWhiteSpace(outDirectory);

        var figures = groups
            .Where(g => g.Spec is not null && g.Curves.Count > 0)
            .GroupBy(g => g.Spec! with { Activation = "", Seed = 0 })
            .Select(f => (Key: f.Key, Groups: f.DistinctBy(g => g.Spec!.Activation, StringComparer.Ordinal).ToList()))
            .ToList();
        var names = Describe(figures.Select(f => f.Key).ToList());

        var paths = new List<string>();
        foreach (var (figure, index) in figures.Select((f, i) => (f, i)))
        {
            var (title, slug) = names[index];
            paths.Add(Draw(figure.Groups, $"{title}: test accuracy", "Test accuracy (%), mean ± std", p => (100 * p.TestAccuracyMean, 100 * p.TestAccuracyStd),
                outDirectory, $"{slug}-test-accuracy.png"));
            paths.Add(Draw(figure.Groups, $"{title}: test loss", "Test loss, mean ± std", p => (p.TestLossMean, p.TestLossStd),
                outDirectory, $"{slug}-test-loss.png"));
        }
        return paths.Order(StringComparer.Ordinal).ToList();
    }

    private static string Draw(
        IReadOnlyList<GroupStatistics> groups, string title, string yLabel, Func<CurvePoint, (double Mean, double Std)> metric,
        string outDirectory, string fileName)
    {
        using var plot = Figure.Create(title, "Epoch", yLabel);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true, TickDensity = 0.6 };

        var colours = ActivationStyle.Colours(groups.Select(g => g.Spec!.Activation));
        var byActivation = groups.ToDictionary(g => g.Spec!.Activation, StringComparer.Ordinal);
        var ordered = ActivationStyle.InLegendOrder(byActivation.Keys).Select(a => byActivation[a]).ToList();
        var marked = ordered.Max(g => g.Curves[^1].Epoch) <= MarkedEpochs;

        // Bands first, so that no band veils another activation's line.
        foreach (var group in ordered)
        {
            var points = group.Curves;
            var xs = points.Select(p => (double)p.Epoch).ToArray();
            var means = points.Select(p => metric(p).Mean).ToArray();
            // One seed has no standard deviation: its band has no width.
            var stds = points.Select(p => metric(p).Std is var s && double.IsFinite(s) ? s : 0).ToArray();
            if (stds.All(s => s == 0)) continue;
            var band = plot.Add.FillY(xs, means.Zip(stds, (m, s) => m - s).ToArray(), means.Zip(stds, (m, s) => m + s).ToArray());
            band.FillColor = colours[group.Spec!.Activation].WithAlpha(0.18);
            band.LineWidth = 0;
        }
        foreach (var group in ordered)
        {
            var activation = group.Spec!.Activation;
            var xs = group.Curves.Select(p => (double)p.Epoch).ToArray();
            var means = group.Curves.Select(p => metric(p).Mean).ToArray();
            var line = plot.Add.Scatter(xs, means, colours[activation]);
            line.LineWidth = 2.5f;
            line.MarkerSize = marked ? 7 : 0;
            var n = group.Curves.Max(p => p.N);
            line.LegendText = $"{ActivationStyle.DisplayName(activation)} (n = {n.ToString(CultureInfo.InvariantCulture)})";
        }
        return Figure.Save(plot, outDirectory, fileName);
    }

    /// <summary>
    /// A title ("small_cnn on Fashion-MNIST (lr 0.1)") and a file name stem for each figure: the model and data set,
    /// plus every other axis whose value differs between figures of the same model and data set.
    /// </summary>
    private static List<(string Title, string Slug)> Describe(List<CellSpec> keys)
    {
        var described = new List<(string Title, string Slug)>(keys.Count);
        foreach (var key in keys)
        {
            var siblings = keys.Where(k => k.Model == key.Model && k.Dataset.Name == key.Dataset.Name).ToList();
            var varying = OtherAxes
                .Where(axis => siblings.Select(s => Format(axis.Value(s))).Distinct(StringComparer.Ordinal).Skip(1).Any())
                .Select(axis => $"{axis.Label} {Format(axis.Value(key))}")
                .ToList();
            var title = $"{key.Model} on {DatasetName(key.Dataset.Name)}" + (varying.Count == 0 ? "" : $" ({string.Join(", ", varying)})");
            var slug = Figure.Slug(string.Join('-', new[] { key.Model, key.Dataset.Name }.Concat(varying)));
            described.Add((title, slug));
        }
        // Axes this list does not name could still tell two figures apart: number the later ones rather than overwrite.
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < described.Count; i++)
        {
            var slug = described[i].Slug;
            seen[slug] = seen.GetValueOrDefault(slug) + 1;
            if (seen[slug] > 1) described[i] = (described[i].Title, $"{slug}-{seen[slug].ToString(CultureInfo.InvariantCulture)}");
        }
        return described;
    }

    private static string Format(object? value) => value switch
    {
        null => "default",
        bool b => b ? "on" : "off",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string DatasetName(string name) => name.ToLowerInvariant() switch
    {
        "fashion-mnist" => "Fashion-MNIST",
        "mnist" => "MNIST",
        "cifar10" => "CIFAR-10",
        _ => name,
    };
}
