using ScottPlot;
using SkiaSharp;

namespace CoS.Distributed.Client.Plots;

/// <summary>The look every plot of the tool shares: size, fonts, backgrounds, grid, and a legend beside the data, never over it.</summary>
public static class Figure
{
    /// <summary>Width of every PNG, in pixels.</summary>
    public const int Width = 900;

    /// <summary>Height of every PNG, in pixels.</summary>
    public const int Height = 600;

    /// <summary>The fill behind the data area; the figure around it is white, so the two are told apart.</summary>
    public static Color DataBackground { get; } = Color.FromHex("#FAFAFA");

    // ScottPlot's own choice on Linux (Fonts.Sans) resolves to the system default, often a serif face.
    private static readonly Lazy<string> SansFont = new(() =>
    {
        var installed = SKFontManager.Default.GetFontFamilies().ToHashSet(StringComparer.OrdinalIgnoreCase);
        // ScottPlot would write every PNG without a single letter, silently.
        if (installed.Count == 0)
            throw new InvalidOperationException(
                "no font is installed, so plots would have no text; install one (Debian/Ubuntu: apt-get install fonts-dejavu-core, or run build/setup.sh).");
        return new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica" }.FirstOrDefault(installed.Contains) ?? Fonts.Sans;
    });

    internal static Plot Create(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = DataBackground;
        plot.Grid.MajorLineColor = Color.FromHex("#E3E3E3");

        plot.Title(title, 18);
        plot.XLabel(xLabel, 15);
        plot.YLabel(yLabel, 15);
        plot.Axes.Bottom.Label.Bold = false;
        plot.Axes.Left.Label.Bold = false;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        // Named on each label: Plot.Font.Set would also reset the title's weight to normal.
        foreach (var label in new[] { plot.Axes.Title.Label, plot.Axes.Bottom.Label, plot.Axes.Left.Label, plot.Axes.Bottom.TickLabelStyle, plot.Axes.Left.TickLabelStyle })
            label.FontName = SansFont.Value;
        // ScottPlot's default density labels every half unit at this width: too close to read at a glance.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { TickDensity = 0.6 };

        plot.Legend.FontName = SansFont.Value;
        plot.Legend.FontSize = 13;
        plot.Legend.OutlineColor = Color.FromHex("#C8C8C8");
        return plot;
    }

    /// <summary>Shows the legend to the right of the data area, and writes the figure as a PNG of <see cref="Width"/> × <see cref="Height"/>.</summary>
    internal static string Save(Plot plot, string outDirectory, string fileName)
    {
        plot.ShowLegend(Edge.Right);
        Directory.CreateDirectory(outDirectory);
        var path = Path.Combine(outDirectory, fileName);
        plot.SavePng(path, Width, Height);
        return path;
    }

    /// <summary>Lower-case letters, digits, '_' and '.', runs of anything else as one '-': safe in a file name on every system.</summary>
    internal static string Slug(string text)
    {
        var chars = new List<char>(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.') chars.Add(c);
            else if (chars.Count > 0 && chars[^1] != '-') chars.Add('-');
        }
        return new string(chars.ToArray()).Trim('-', '.');
    }
}
