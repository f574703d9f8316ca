using CoS.Distributed.Client.Plots;
using CoS.Distributed.Client.Tests.Plots;
using CoS.Distributed.Client.Traces;

namespace CoS.Distributed.Client.Tests.Traces;

/// <summary>
/// A timeline PNG read back from its pixels: the rows of the data area (one per slot, top to bottom, as the y axis
/// runs from -0.5 to Lanes - 0.5), the bars of a colour in a row, and the red X marks of attempts cut short.
/// </summary>
internal sealed class TimelineImage(PlotImage image, int lanes, double wallSeconds)
{
    public PlotImage Image { get; } = image;

    public static TimelineImage Load(string path, int lanes, double wallSeconds) => new(PlotImage.Load(path), lanes, wallSeconds);

    private double RowHeight => Image.DataArea.Height / (double)lanes;

    public int RowCentre(int row) => Image.DataArea.Top + (int)((row + 0.5) * RowHeight);

    /// <summary>The pixel column of a time: the x axis runs from 0 to <see cref="TimelinePlot.XLimit"/>.</summary>
    public int Column(double seconds) => Image.DataArea.Left + (int)(seconds / TimelinePlot.XLimit(wallSeconds) * Image.DataArea.Width);

    /// <summary>
    /// Separate runs of <paramref name="colour"/> along a line through the bars of <paramref name="row"/>, low in the bar
    /// so that no X mark crosses it; runs shorter than 2 pixels (anti-aliasing) are not bars.
    /// </summary>
    public int BarsOf(ScottPlot.Color colour, int row)
    {
        var y = RowCentre(row) + (int)(RowHeight * TimelinePlot.BarHeight * 0.35);
        var line = new Box(Image.DataArea.Left, y, Image.DataArea.Right, y);
        var columns = Image.PixelsOf(colour, line, tolerance: 6).Select(p => p.X).Order().ToList();
        var runs = new List<int>();
        for (var i = 0; i < columns.Count; i++)
        {
            if (i == 0 || columns[i] != columns[i - 1] + 1) runs.Add(0);
            runs[^1]++;
        }
        return runs.Count(length => length >= 2);
    }

    /// <summary>Whether an X in the mark's colour is drawn at <paramref name="seconds"/> in <paramref name="row"/>: red on both of its diagonals.</summary>
    public bool MarkedAt(int row, double seconds)
    {
        var (x, y) = (Math.Min(Column(seconds), Image.DataArea.Right - 6), RowCentre(row));
        return new[] { (-3, -3), (3, 3), (-3, 3), (3, -3) }.All(d => Red(new Box(x + d.Item1 - 2, y + d.Item2 - 2, x + d.Item1 + 2, y + d.Item2 + 2)) > 0);
    }

    /// <summary>Pixels of the mark's colour in a row's band.</summary>
    public int RedIn(int row) => Red(new Box(Image.DataArea.Left, RowCentre(row) - (int)(RowHeight / 2) + 1, Image.DataArea.Right, RowCentre(row) + (int)(RowHeight / 2) - 1));

    private int Red(Box box) => Image.PixelsOf(TimelinePlot.CutShortColour, box, tolerance: 40).Count;
}
