using SkiaSharp;

namespace CoS.Distributed.Client.Tests.Plots;

/// <summary>
/// A written PNG decoded for inspection: where its data area is (inside the axes' dark frame) and which pixels carry a
/// series' colour or text. The frame is found in the picture itself, so no test depends on ScottPlot's layout numbers.
/// </summary>
internal sealed class PlotImage
{
    private readonly SKColor[] pixels;

    private PlotImage(string path, int width, int height, SKColor[] pixels)
    {
        Path = path;
        Width = width;
        Height = height;
        this.pixels = pixels;
        DataArea = FindFrame();
    }

    public string Path { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>The pixels inside the frame, frame excluded.</summary>
    public Box DataArea { get; }

    public static PlotImage Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), $"{path} is not a PNG file");
        using var bitmap = SKBitmap.Decode(bytes) ?? throw new InvalidOperationException($"{path} does not decode");
        return new PlotImage(path, bitmap.Width, bitmap.Height, bitmap.Pixels);
    }

    public SKColor this[int x, int y] => pixels[y * Width + x];

    /// <summary>Pixels within <paramref name="tolerance"/> of <paramref name="colour"/> in every channel: a line's core, not its anti-aliased edge.</summary>
    public List<(int X, int Y)> PixelsOf(ScottPlot.Color colour, Box box, int tolerance = 12)
    {
        var found = new List<(int X, int Y)>();
        for (var y = box.Top; y <= box.Bottom; y++)
            for (var x = box.Left; x <= box.Right; x++)
            {
                var p = this[x, y];
                if (Math.Abs(p.Red - colour.R) <= tolerance && Math.Abs(p.Green - colour.G) <= tolerance && Math.Abs(p.Blue - colour.B) <= tolerance)
                    found.Add((x, y));
            }
        return found;
    }

    /// <summary>Near-black pixels: text, tick marks and the frame (series colours and grid lines are lighter).</summary>
    public int DarkPixels(Box box)
    {
        var count = 0;
        for (var y = box.Top; y <= box.Bottom; y++)
            for (var x = box.Left; x <= box.Right; x++)
                if (IsDark(this[x, y])) count++;
        return count;
    }

    private static bool IsDark(SKColor p) => p.Red < 90 && p.Green < 90 && p.Blue < 90;

    // The frame's edges are the only dark lines that run across most of the picture.
    private Box FindFrame()
    {
        var rows = Enumerable.Range(0, Height).Where(y => LongestDarkRun(Width, x => this[x, y]) > Width / 2).ToList();
        var columns = Enumerable.Range(0, Width).Where(x => LongestDarkRun(Height, y => this[x, y]) > Height / 2).ToList();
        Assert.True(rows.Count >= 2 && columns.Count >= 2, $"{Path}: no frame around a data area");
        return new Box(columns[0] + 1, rows[0] + 1, columns[^1] - 1, rows[^1] - 1);
    }

    private static int LongestDarkRun(int length, Func<int, SKColor> at)
    {
        int longest = 0, run = 0;
        for (var i = 0; i < length; i++)
        {
            run = IsDark(at(i)) ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest;
    }
}

/// <summary>A rectangle of pixels, edges included.</summary>
internal readonly record struct Box(int Left, int Top, int Right, int Bottom)
{
    public int Width => Right - Left + 1;
    public int Height => Bottom - Top + 1;

    /// <summary>The columns from <paramref name="from"/> to <paramref name="to"/>, as fractions of the width.</summary>
    public Box Columns(double from, double to) => this with { Left = Left + (int)(from * Width), Right = Left + (int)(to * Width) - 1 };
}
