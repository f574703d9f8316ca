using CoS.Distributed.Client.Plots;
using ScottPlot;

namespace CoS.Distributed.Client.Traces;

/// <summary>
/// A sweep's timeline as a PNG: one row per slot, a bar per attempt from its start to its end in its activation's
/// colour, and the attempts cut short (fenced, handed back, failed, abandoned, cancelled) outlined in red with a red X at
/// their end.
/// </summary>
public static class TimelinePlot
{
    /// <summary>The mark of an attempt cut short; no activation has this colour.</summary>
    public static Color CutShortColour { get; } = Color.FromHex("#FF0000");

    /// <summary>The thin edge between bars, so two attempts back to back on one slot stay two bars.</summary>
    public static Color BarEdgeColour { get; } = Colors.White;

    /// <summary>A bar's height, as a fraction of its row.</summary>
    public const double BarHeight = 0.6;

    /// <summary>The right end of the x axis: a little past the last attempt's end.</summary>
    public static double XLimit(double wallSeconds) => Math.Max(wallSeconds, 1) * 1.03;

    /// <summary>
    /// Writes the timeline to <paramref name="path"/> (its folder created if missing). Row i (from 0, top to bottom) is
    /// <see cref="SweepTimeline.Lanes"/>[i]; the y axis runs from -0.5 at the top to Lanes - 0.5 at the bottom.
    /// </summary>
    public static string Write(SweepTimeline timeline, string path)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var plot = Figure.Create($"{timeline.Sweep}: attempts by slot", "seconds since the sweep's first attempt", "");
        var colours = ActivationStyle.Colours(timeline.Attempts.Select(a => a.Activation));
        var row = timeline.Lanes.Select((lane, i) => (lane, i)).ToDictionary(x => x.lane, x => x.i);
        // Too short to see otherwise: an attempt fenced as it began is still an attempt.
        var shortest = Math.Max(timeline.WallSeconds, 1) / 100;

        foreach (var attempt in timeline.Attempts)
        {
            var y = row[attempt.Slot];
            var end = Math.Max(attempt.EndSeconds, attempt.StartSeconds + shortest);
            var bar = plot.Add.Rectangle(attempt.StartSeconds, end, y - BarHeight / 2, y + BarHeight / 2);
            bar.FillColor = colours[attempt.Activation];
            bar.LineColor = attempt.CutShort ? CutShortColour : BarEdgeColour;
            bar.LineWidth = attempt.CutShort ? 2 : 1;
        }
        // After every bar, so that an attempt resumed at once on the same slot does not cover the mark.
        foreach (var attempt in timeline.Attempts.Where(a => a.CutShort))
            plot.Add.Marker(attempt.EndSeconds, row[attempt.Slot], MarkerShape.Eks, 14, CutShortColour).MarkerLineWidth = 3;

        foreach (var activation in ActivationStyle.InLegendOrder(colours.Keys))
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = ActivationStyle.DisplayName(activation), FillColor = colours[activation] });
        if (timeline.Attempts.Any(a => a.CutShort))
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = "not completed",
                MarkerShape = MarkerShape.Eks,
                MarkerColor = CutShortColour,
                MarkerSize = 12,
                MarkerLineWidth = 3,
            });

        plot.Axes.Left.SetTicks([.. timeline.Lanes.Select((_, i) => (double)i)], [.. timeline.Lanes.Select(l => Shorten(l.Label))]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        // Inverted, so the first slot is the top row.
        plot.Axes.SetLimitsY(timeline.Lanes.Count - 0.5, -0.5);
        plot.Axes.SetLimitsX(0, XLimit(timeline.WallSeconds));
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Figure.Save(plot, folder, Path.GetFileName(path));
    }

    private static string Shorten(string label) => label.Length <= 32 ? label : string.Concat("…", label.AsSpan(label.Length - 31));
}
