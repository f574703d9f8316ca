using System.Text;

namespace CoS.Distributed.Client.Tests.Sweeps;

/// <summary>
/// What a sweep file can ask is bounded before anything starts: formulas (length and nesting, which the parser and
/// the compiler recurse over) and the YAML's own nesting. Each problem is on the line it concerns.
/// </summary>
public sealed class SweepFileLimitsTests : IDisposable
{
    private readonly SweepFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static string Sweep(string activationLine) => $"""
        name: limits
        dataset: {"{"}name: fashion-mnist, path: data{"}"}
        models: [small_cnn]
        activations:
          - relu
          - {activationLine}
        seeds: [-1, 2]
        training:
          epochs: 2
        """;

    [Fact]
    public void AFormulaOf100000CharactersIsReportedOnItsLineWithTheLimit()
    {
        var formula = string.Join("+", Enumerable.Repeat("x", 50_000));
        var yaml = Sweep($"\"{formula}\"");

        var result = folder.Load(yaml);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors, e => e.Key == "activations[1]");
        Assert.Equal(6, error.Line);
        Assert.Equal(5, error.Column);
        Assert.Contains("is 99999 characters long", error.Message, StringComparison.Ordinal);
        Assert.Contains("at most 1000 characters", error.Message, StringComparison.Ordinal);
        Assert.True(error.ToString().Length < 700, error.ToString());
        // Reported together with the file's other problems.
        Assert.Contains(result.Errors, e => e.Key == "seeds[0]" && e.Message.Contains("-1 is negative", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(10_000, "at most 1000 characters")]
    [InlineData(65, "is nested more than 64 levels deep")]
    public void ADeeplyNestedFormulaIsReportedOnItsLine(int levels, string expected)
    {
        var formula = string.Concat(Enumerable.Repeat("sigmoid(", levels)) + "x" + new string(')', levels);
        var yaml = Sweep($"\"{formula}\"");

        var result = folder.Load(yaml);

        var error = Assert.Single(result.Errors, e => e.Key == "activations[1]");
        Assert.Equal(6, error.Line);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    [InlineData("- ", "")]
    public void YamlNested100000LevelsDeepIsASyntaxErrorNotACrash(string open, string close)
    {
        var deep = new StringBuilder("name: deep\nmodels: ");
        const int Levels = 100_000;
        if (open == "- ")
        {
            deep.Append('\n');
            for (var i = 0; i < 200; i++) deep.Append(new string(' ', i * 2)).Append("- \n");
        }
        else
        {
            for (var i = 0; i < Levels; i++) deep.Append(open);
            deep.Append('x');
            for (var i = 0; i < Levels; i++) deep.Append(close);
        }

        var result = folder.Load(deep.ToString());

        var error = Assert.Single(result.Errors);
        Assert.Contains("nested more than 64 levels deep", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 2, error.ToString());
    }

    [Fact]
    public void ValuesAboveTheirBoundsAreReportedOnTheirLinesAsTheFileWritesTheKeys()
    {
        const string Yaml = """
            name: bounds
            dataset: {name: fashion-mnist, path: data}
            models: [mlp]
            activations: [relu]
            seeds: 2
            training:
              epochs: 3
              width: [256, 1000000000]
              depth: 5000
              batch_size: 1000000000
            max_attempts: 1000
            """;

        var result = folder.Load(Yaml);

        Assert.False(result.Succeeded);
        var errors = result.Errors.Select(e => (e.Line, e.Column, e.Key, e.Message)).ToList();
        Assert.Equal(4, errors.Count);
        Assert.Equal((8, 16, "training.width[1]"), (errors[0].Line, errors[0].Column, errors[0].Key));
        Assert.StartsWith("1000000000 is above the bound of 65536 units per layer; give at most 65536", errors[0].Message, StringComparison.Ordinal);
        Assert.Equal((9, 10, "training.depth"), (errors[1].Line, errors[1].Column, errors[1].Key));
        Assert.StartsWith("5000 is above the bound of 1000 hidden layers; give at most 1000", errors[1].Message, StringComparison.Ordinal);
        Assert.Equal((10, 15, "training.batch_size"), (errors[2].Line, errors[2].Column, errors[2].Key));
        Assert.StartsWith("1000000000 is above the bound of 65536 examples", errors[2].Message, StringComparison.Ordinal);
        Assert.Equal((11, 15, "max_attempts"), (errors[3].Line, errors[3].Column, errors[3].Key));
        Assert.StartsWith("1000 is above the bound of 100 attempts", errors[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnMlpTooLargeForItsParameterBoundIsReportedOnTheWidthThatMakesIt()
    {
        const string Yaml = """
            name: big-mlp
            dataset: {name: fashion-mnist, path: data}
            models: [mlp]
            activations: [relu]
            seeds: 2
            training:
              width: [256, 65536]
              depth: [1, 4]
            """;

        var error = Assert.Single(folder.Load(Yaml).Errors);

        Assert.Equal((7, 16, "training.width[1]"), (error.Line, error.Column, error.Key));
        Assert.StartsWith("65536 with training.depth [4] makes an mlp of 12,937,199,626 parameters on fashion-mnist", error.Message, StringComparison.Ordinal);
    }
}
