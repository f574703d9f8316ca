using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Grains.Sweeps;

namespace CoS.Distributed.Client.Progress;

/// <summary>Readable group names: model and activation, plus whichever other axes of the sweep vary.</summary>
public static class GroupLabels
{
    public static IReadOnlyDictionary<string, string> Of(SweepSpec spec)
    {
        var cells = SweepExpansion.Expand(spec);
        var axes = new (string Name, Func<CellSpec, string> Value)[]
        {
            ("dataset", c => c.Dataset.Name),
            ("lr", c => c.LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("batch", c => c.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("epochs", c => c.Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("optimizer", c => c.Optimizer),
            ("schedule", c => c.Schedule),
            ("wd", c => c.WeightDecay.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("width", c => $"{c.WidthMultiplier}{c.Width}"),
            ("depth", c => $"{c.Depth}"),
            ("augment", c => c.Augment ? "yes" : "no"),
        };
        var varying = axes.Where(a => cells.Select(c => a.Value(c.Spec)).Distinct().Count() > 1).ToList();
        var labels = new Dictionary<string, string>();
        foreach (var cell in cells)
        {
            if (labels.ContainsKey(cell.GroupId)) continue;
            var extras = varying.Select(a => $"{a.Name}={a.Value(cell.Spec)}");
            labels[cell.GroupId] = string.Join(" ", new[] { cell.Spec.Model, cell.Spec.Activation }.Concat(extras));
        }
        return labels;
    }
}
