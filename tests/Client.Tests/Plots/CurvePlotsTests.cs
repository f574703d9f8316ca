using CoS.Distributed.Client.Plots;
using CoS.Distributed.Grains.Interfaces.Groups;

namespace CoS.Distributed.Client.Tests.Plots;

public sealed class CurvePlotsTests : IDisposable
{
    private readonly string outDirectory = Path.Combine(Path.GetTempPath(), "cos-curve-plots-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(outDirectory)) Directory.Delete(outDirectory, recursive: true);
    }

    [Fact]
    public void Each_model_gets_a_test_accuracy_and_a_test_loss_png_of_900_by_600()
    {
        var groups = TrainingRuns.ThreeActivations("small_cnn").Concat(TrainingRuns.ThreeActivations("mlp")).ToList();

        var paths = CurvePlots.Write(groups, outDirectory);

        Assert.Equal(
            ["mlp-fashion-mnist-test-accuracy.png", "mlp-fashion-mnist-test-loss.png", "small_cnn-fashion-mnist-test-accuracy.png", "small_cnn-fashion-mnist-test-loss.png"],
            paths.Select(Path.GetFileName));
        foreach (var path in paths)
        {
            var image = PlotImage.Load(path);
            Assert.Equal((Figure.Width, Figure.Height), (image.Width, image.Height));
        }
    }

    [Fact]
    public void Accuracy_plot_draws_each_activation_across_the_epochs_in_the_order_of_its_accuracy()
    {
        var paths = CurvePlots.Write(TrainingRuns.ThreeActivations().ToList(), outDirectory);
        var image = PlotImage.Load(paths.Single(p => p.EndsWith("-test-accuracy.png", StringComparison.Ordinal)));

        var heights = LinesOf(image, ["relu", "swish", "cos"]);

        // Higher accuracy draws higher up, i.e. at a smaller pixel row: CoS (90 %) above Swish (84 %) above ReLU (78 %).
        Assert.True(heights["cos"] < heights["swish"] && heights["swish"] < heights["relu"],
            $"median rows: CoS {heights["cos"]}, Swish {heights["swish"]}, ReLU {heights["relu"]}");
    }

    [Fact]
    public void Loss_plot_draws_the_lowest_loss_lowest()
    {
        var paths = CurvePlots.Write(TrainingRuns.ThreeActivations().ToList(), outDirectory);
        var image = PlotImage.Load(paths.Single(p => p.EndsWith("-test-loss.png", StringComparison.Ordinal)));

        var heights = LinesOf(image, ["relu", "swish", "cos"]);

        Assert.True(heights["cos"] > heights["swish"] && heights["swish"] > heights["relu"],
            $"median rows: CoS {heights["cos"]}, Swish {heights["swish"]}, ReLU {heights["relu"]}");
    }

    [Fact]
    public void Each_activation_has_a_shaded_band_of_its_own_colour()
    {
        var paths = CurvePlots.Write(TrainingRuns.ThreeActivations().ToList(), outDirectory);
        var image = PlotImage.Load(paths[0]);

        foreach (var activation in TrainingRuns.FinalAccuracy.Keys)
        {
            var band = Blend(ActivationStyle.BuiltInColour(activation)!.Value, Figure.DataBackground, 0.18);
            var shaded = image.PixelsOf(band, image.DataArea, tolerance: 4);
            Assert.True(shaded.Count > 2000, $"{activation}: {shaded.Count} pixels of its band's shade");
        }
    }

    [Fact]
    public void Title_axis_labels_and_legend_are_drawn_as_text()
    {
        var paths = CurvePlots.Write(TrainingRuns.ThreeActivations().ToList(), outDirectory);
        var image = PlotImage.Load(paths[0]);
        var data = image.DataArea;

        var title = image.DarkPixels(new Box(0, 0, image.Width - 1, data.Top - 10));
        var left = image.DarkPixels(new Box(0, data.Top, data.Left - 10, data.Bottom));
        var legend = image.DarkPixels(new Box(data.Right + 10, 0, image.Width - 1, image.Height - 1));

        // Without a usable font ScottPlot writes the picture with no text at all: every count would be 0.
        Assert.True(title > 300, $"{title} dark pixels above the data area");
        Assert.True(left > 300, $"{left} dark pixels left of the data area (tick labels, axis label)");
        Assert.True(legend > 150, $"{legend} dark pixels right of the data area (legend)");
        foreach (var activation in TrainingRuns.FinalAccuracy.Keys)
        {
            var swatch = image.PixelsOf(ActivationStyle.BuiltInColour(activation)!.Value, new Box(data.Right + 10, 0, image.Width - 1, image.Height - 1));
            Assert.True(swatch.Count > 20, $"{activation}: no legend entry in its colour right of the data area");
        }
    }

    [Fact]
    public void Other_varying_axes_name_the_figures_and_activation_and_seed_never_do()
    {
        var groups = TrainingRuns.ThreeActivations(learningRate: 0.1).Concat(TrainingRuns.ThreeActivations(learningRate: 0.01)).ToList();

        var paths = CurvePlots.Write(groups, outDirectory);

        Assert.Equal(
            ["small_cnn-fashion-mnist-lr-0.01-test-accuracy.png", "small_cnn-fashion-mnist-lr-0.01-test-loss.png",
             "small_cnn-fashion-mnist-lr-0.1-test-accuracy.png", "small_cnn-fashion-mnist-lr-0.1-test-loss.png"],
            paths.Select(Path.GetFileName));
    }

    [Fact]
    public void Groups_without_a_configuration_or_a_completed_cell_draw_nothing()
    {
        var empty = new GroupStatistics { GroupId = "g-empty", Spec = TrainingRuns.Spec("relu", model: "resnet18") };
        var unknown = new GroupStatistics { GroupId = "g-unknown", Spec = null, Curves = TrainingRuns.Group(TrainingRuns.Spec("cos")).Curves };

        var paths = CurvePlots.Write([empty, unknown], outDirectory);

        Assert.Empty(paths);
        Assert.False(Directory.Exists(outDirectory) && Directory.EnumerateFiles(outDirectory).Any());
    }

    [Fact]
    public void A_single_seed_draws_its_line_without_a_band()
    {
        var groups = new[] { TrainingRuns.Group(TrainingRuns.Spec("relu"), seeds: 1), TrainingRuns.Group(TrainingRuns.Spec("cos"), seeds: 1) };

        var image = PlotImage.Load(CurvePlots.Write(groups, outDirectory)[0]);

        Assert.Equal(2, LinesOf(image, ["relu", "cos"]).Count);
        var band = Blend(ActivationStyle.BuiltInColour("relu")!.Value, Figure.DataBackground, 0.18);
        var shaded = image.PixelsOf(band, image.DataArea, tolerance: 4).Count;
        Assert.True(shaded < 300, $"{shaded} pixels of the band shade");
    }

    /// <summary>
    /// Checks that each activation's line is in the data area and runs across nearly all of it (first to last epoch),
    /// and returns the median pixel row of each line.
    /// </summary>
    private static Dictionary<string, int> LinesOf(PlotImage image, IReadOnlyList<string> activations)
    {
        var rows = new Dictionary<string, int>();
        foreach (var activation in activations)
        {
            var pixels = image.PixelsOf(ActivationStyle.BuiltInColour(activation)!.Value, image.DataArea);
            Assert.True(pixels.Count > 300, $"{activation}: only {pixels.Count} pixels of its colour in the data area of {image.Path}");
            var span = pixels.Max(p => p.X) - pixels.Min(p => p.X);
            Assert.True(span > 0.8 * image.DataArea.Width, $"{activation}: its line spans {span} of {image.DataArea.Width} columns");
            rows[activation] = pixels.Select(p => p.Y).Order().ElementAt(pixels.Count / 2);
        }
        return rows;
    }

    private static ScottPlot.Color Blend(ScottPlot.Color colour, ScottPlot.Color background, double alpha) => new(
        (byte)Math.Round(colour.R * alpha + background.R * (1 - alpha)),
        (byte)Math.Round(colour.G * alpha + background.G * (1 - alpha)),
        (byte)Math.Round(colour.B * alpha + background.B * (1 - alpha)));
}
