using CoS.Distributed.Client.Plots;

namespace CoS.Distributed.Client.Tests.Plots;

public sealed class ActivationPlotsTests : IDisposable
{
    private readonly string outDirectory = Path.Combine(Path.GetTempPath(), "cos-activation-plots-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(outDirectory)) Directory.Delete(outDirectory, recursive: true);
    }

    [Fact]
    public void Values_and_derivatives_are_two_pngs_of_900_by_600_with_every_activation_and_text()
    {
        var paths = CoreThree();

        Assert.Equal([ActivationPlots.ValuesFileName, ActivationPlots.DerivativesFileName], paths.Select(Path.GetFileName));
        foreach (var path in paths)
        {
            var image = PlotImage.Load(path);
            Assert.Equal((Figure.Width, Figure.Height), (image.Width, image.Height));
            foreach (var activation in new[] { "relu", "swish", "cos" }) Line(image, activation);
            var title = image.DarkPixels(new Box(0, 0, image.Width - 1, image.DataArea.Top - 10));
            Assert.True(title > 300, $"{title} dark pixels above the data area of {path}");
        }
    }

    [Fact]
    public void Values_plot_draws_each_function_over_the_whole_range_and_cos_above_relu_for_negative_inputs()
    {
        var image = PlotImage.Load(CoreThree()[0]);
        // (On the derivative plot CoS' covers Swish' where the two agree, |x| > 1.5, so only the values plot is checked for span.)
        foreach (var activation in new[] { "relu", "swish", "cos" })
        {
            var pixels = Line(image, activation);
            Assert.True(pixels.Max(p => p.X) - pixels.Min(p => p.X) > 0.9 * image.DataArea.Width, $"{activation} does not span the range");
        }
        var leftEdge = image.DataArea.Columns(0, 0.1);

        // At x in [-5, -4]: ReLU is 0 and CoS ≈ 0.22 (its squared-sigmoid term tends to 0.25).
        var relu = MedianRow(image.PixelsOf(ActivationStyle.BuiltInColour("relu")!.Value, leftEdge));
        var cos = MedianRow(image.PixelsOf(ActivationStyle.BuiltInColour("cos")!.Value, leftEdge));

        Assert.True(cos < relu - 8, $"CoS at row {cos}, ReLU at row {relu}");
    }

    [Fact]
    public void Derivative_plot_shows_relus_step_from_0_to_1()
    {
        var image = PlotImage.Load(CoreThree()[1]);
        var colour = ActivationStyle.BuiltInColour("relu")!.Value;

        var negative = image.PixelsOf(colour, image.DataArea.Columns(0, 0.4));
        var positive = image.PixelsOf(colour, image.DataArea.Columns(0.6, 1));

        Assert.True(negative.Count > 100 && positive.Count > 100, $"ReLU' pixels: {negative.Count} left, {positive.Count} right");
        Assert.True(negative.Max(p => p.Y) - negative.Min(p => p.Y) <= 5, "ReLU' is not flat for negative inputs");
        // f' = 0 and f' = 1 lie most of the plot's height apart (its range is about [-0.13, 1.12]).
        Assert.True(MedianRow(negative) - MedianRow(positive) > 0.6 * image.DataArea.Height,
            $"ReLU' at row {MedianRow(negative)} left of 0 and {MedianRow(positive)} right of it");
    }

    [Fact]
    public void A_formula_is_plotted_in_a_colour_of_its_own()
    {
        var paths = ActivationPlots.Write(["relu", "tanh(x)"], outDirectory);
        var image = PlotImage.Load(paths[0]);
        var colour = ActivationStyle.Colours(["relu", "tanh(x)"])["tanh(x)"];

        var left = image.PixelsOf(colour, image.DataArea.Columns(0, 0.15));
        var right = image.PixelsOf(colour, image.DataArea.Columns(0.85, 1));

        Assert.NotEqual(ActivationStyle.BuiltInColour("relu"), colour);
        Assert.True(left.Count > 50 && right.Count > 50, $"tanh(x) pixels: {left.Count} left, {right.Count} right");
        // tanh runs from -1 up to 1: its right end is drawn higher (smaller row) than its left end.
        Assert.True(MedianRow(left) - MedianRow(right) > 30, $"tanh(x) at row {MedianRow(left)} left and {MedianRow(right)} right");
    }

    [Fact]
    public void A_custom_range_is_honoured_and_an_empty_one_is_refused()
    {
        var paths = ActivationPlots.Write(["swish"], outDirectory, from: -2, to: 8);
        Assert.All(paths, p => Assert.True(File.Exists(p)));

        var error = Assert.Throws<ArgumentException>(() => ActivationPlots.Write(["swish"], outDirectory, from: 3, to: 3));
        Assert.Contains("from < to", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_activation_or_an_unknown_name_is_refused_naming_the_input_and_the_choices()
    {
        var none = Assert.Throws<ArgumentException>(() => ActivationPlots.Write([], outDirectory));
        Assert.Contains("relu, swish, cos", none.Message, StringComparison.Ordinal);

        var typo = Assert.Throws<ArgumentException>(() => ActivationPlots.Write(["relu", "swissh"], outDirectory));
        Assert.Contains("'swissh'", typo.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDirectory), "nothing is written when an activation is refused");
    }

    private IReadOnlyList<string> CoreThree() => ActivationPlots.Write(["relu", "swish", "cos"], outDirectory);

    private static List<(int X, int Y)> Line(PlotImage image, string activation)
    {
        var pixels = image.PixelsOf(ActivationStyle.BuiltInColour(activation)!.Value, image.DataArea);
        Assert.True(pixels.Count > 300, $"{activation}: only {pixels.Count} pixels of its colour in {image.Path}");
        return pixels;
    }

    private static int MedianRow(List<(int X, int Y)> pixels) => pixels.Select(p => p.Y).Order().ElementAt(pixels.Count / 2);
}
