using CoS.Distributed.Client.Sweeps;

namespace CoS.Distributed.Client.Tests.Sweeps;

/// <summary>Problems in sweep files: each names the file, the line and column, and the key, and says what to do.</summary>
public sealed class SweepFileErrorTests : IDisposable
{
    private readonly SweepFolder folder = new();

    public void Dispose() => folder.Dispose();

    private const string Valid = """
        name: errors
        dataset: {name: fashion-mnist, path: data}
        models: [small_cnn]
        activations: [relu, cos]
        seeds: 3
        training:
          epochs: 2
          learning_rate: 0.1
        """;

    private IReadOnlyList<SweepFileError> Errors(string yaml, bool checkDataFolders = true)
    {
        var result = folder.Load(yaml, checkDataFolders: checkDataFolders);
        Assert.False(result.Succeeded, "the sweep file was accepted");
        Assert.Null(result.Spec);
        return result.Errors;
    }

    private SweepFileError Single(string yaml) => Assert.Single(Errors(yaml));

    private static string Replace(string yaml, string from, string to) => yaml.Replace(from, to, StringComparison.Ordinal);

    [Fact]
    public void AnUnknownKeyIsReportedAtItsLineWithTheKeyItProbablyMeant()
    {
        var yaml = Replace(Valid, "  learning_rate: 0.1", "  lerning_rate: 0.1");

        var error = Single(yaml);

        Assert.Equal(SweepFolder.LineOf(yaml, "lerning_rate"), error.Line);
        Assert.Equal(3, error.Column);
        Assert.Equal("training.lerning_rate", error.Key);
        Assert.Equal("unknown key; did you mean 'learning_rate'?", error.Message);
        Assert.Equal(Path.Combine(folder.Path, "sweep.yaml"), error.File);
        Assert.Equal($"{error.File}:{error.Line}:3: training.lerning_rate: unknown key; did you mean 'learning_rate'?", error.ToString());
    }

    [Theory]
    [InlineData("Models: [mlp]", "Models", "did you mean 'models'?")]
    [InlineData("learning_rate: 0.3", "learning_rate", "'learning_rate' is a training setting: move it under training:")]
    [InlineData("lr: 0.3", "lr", "'learning_rate' is a training setting")]
    [InlineData("baseline_activation: relu", "baseline_activation", "did you mean 'baseline'?")]
    [InlineData("path: /data", "path", "'path' is a setting of the data set")]
    [InlineData("colour: blue", "colour", "the keys here are name, dataset, datasets, model, models")]
    public void AnUnknownTopLevelKeySaysWhereItBelongs(string line, string key, string expected)
    {
        var yaml = Valid + "\n" + line;
        var error = Single(yaml);
        Assert.Equal(key, error.Key);
        Assert.Equal(SweepFolder.LineOf(yaml, line), error.Line);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATopLevelKeyUnderTrainingSaysToMoveItUp()
    {
        var error = Single(Valid + "\n  seeds: 3");
        Assert.Equal("training.seeds", error.Key);
        Assert.Contains("'seeds' belongs at the top level of the file, not under training:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  learning_rate: 0.1", "  learning_rate: fast", "training.learning_rate", "'fast' is not a number; give a learning rate such as 0.1")]
    [InlineData("  learning_rate: 0.1", "  learning_rate: \"0.1\"", "training.learning_rate", "'0.1' is quoted, which makes it text; write it without quotes")]
    [InlineData("  epochs: 2", "  epochs: 2.5", "training.epochs", "2.5 is not a whole number; give a number of epochs such as 10")]
    [InlineData("  epochs: 2", "  step_gamma: [0.1, 0.2]", "training.step_gamma", "found a list, but training.step_gamma takes a single value; give a factor such as 0.1")]
    [InlineData("  epochs: 2", "  nesterov: yes", "training.nesterov", "'yes' is not true or false (YAML 1.2 reads it as text); give true or false")]
    [InlineData("  epochs: 2", "  epochs:", "training.epochs", "has no value; give a number of epochs such as 10, or a list of them")]
    [InlineData("models: [small_cnn]", "models: {small: cnn}", "models", "found a mapping (key: value lines); give a model name such as small_cnn, or a list of them")]
    [InlineData("models: [small_cnn]", "models: [[small_cnn]]", "models[0]", "found a list; give a model name such as small_cnn")]
    [InlineData("seeds: 3", "seeds: {count: 3}", "seeds", "found a mapping (key: value lines); give a number of seeds such as 5 (seeds 0 to 4), or a list of seeds such as [1, 2, 3]")]
    [InlineData("seeds: 3", "seeds: 0", "seeds", "0 is not a number of seeds; give a number of seeds such as 5")]
    [InlineData("name: errors", "name: [a, b]", "name", "found a list, but name takes a single value")]
    [InlineData("training:", "training: fast", "training", "found 'fast'; give the training settings as key: value lines")]
    public void AValueOfTheWrongTypeIsReportedAtItsLine(string from, string to, string key, string expected)
    {
        var yaml = Replace(Valid, from, to);
        if (to.Contains("step_gamma", StringComparison.Ordinal) || to.Contains("nesterov", StringComparison.Ordinal))
            yaml = Replace(Valid, "  learning_rate: 0.1", "  learning_rate: 0.1\n" + to);
        if (to == "training: fast") yaml = Replace(Replace(Replace(Valid, "  epochs: 2\n", ""), "  learning_rate: 0.1", ""), from, to);

        var error = Single(yaml);

        Assert.Equal(key, error.Key);
        Assert.Equal(SweepFolder.LineOf(yaml, to.Trim()), error.Line);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidValueIsReportedAtTheLineOfThatValue()
    {
        var yaml = """
            dataset: {name: fashion-mnist, path: data}
            models: [small_cnn]
            activations: [relu, cos]
            seeds:
              - 1
              - -2      # negative
              - 3
            training:
              learning_rate:
                - 0.1
                - 0     # zero
            """;

        var errors = Errors(yaml);

        Assert.Equal(2, errors.Count);
        Assert.Equal(("seeds[1]", SweepFolder.LineOf(yaml, "# negative"), 5, "-2 is negative; give seeds of 0 or more"),
            (errors[0].Key, errors[0].Line, errors[0].Column, errors[0].Message));
        Assert.Equal(("training.learning_rate[1]", SweepFolder.LineOf(yaml, "# zero"), 7),
            (errors[1].Key, errors[1].Line, errors[1].Column));
        Assert.StartsWith("0 is not a positive finite number; give a learning rate such as 0.1", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AValueOfAFlowListIsReportedAtItsColumn()
    {
        var yaml = Replace(Valid, "  learning_rate: 0.1", "  learning_rate: [0.1, 0.05, -1]");
        var error = Single(yaml);
        Assert.Equal("training.learning_rate[2]", error.Key);
        Assert.Equal(SweepFolder.ColumnOf(yaml, "-1"), error.Column);
        Assert.StartsWith("-1 is not a positive finite number; give a learning rate such as 0.1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("activations: [relu, cos]", "activations: [relu, swissh]", "activations[1]", "swissh", "'swissh' is neither a built-in activation nor a formula")]
    [InlineData("activations: [relu, cos]", "activations: [relu, cos, SiLU, swish]", "activations[3]", "swish]", "lists 'swish' (the same as 'SiLU') more than once")]
    [InlineData("seeds: 3", "seeds: [4, 5, 4]", "seeds[2]", "4]", "lists 4 more than once")]
    [InlineData("models: [small_cnn]", "models: [small_cnn, resnet18]", "models[1]", "resnet18", "'resnet18' is not a known model")]
    [InlineData("name: errors", "name: My Sweep", "name", "My Sweep", "'My Sweep' cannot be a grain key and blob name")]
    [InlineData("  epochs: 2", "  epochs: 2\n  warmup_epochs: [0, 3]", "training.warmup_epochs[1]", "3]", "3 is not below training.epochs [2]")]
    [InlineData("  epochs: 2", "  epochs: 2\n  weight_decay: [0, -5e-4]", "training.weight_decay[1]", "-5e-4", "-0.0005 is not 0 or a positive finite number")]
    [InlineData("  epochs: 2", "  epochs: 2\n  width_multiplier: 0.5", "training.width_multiplier", "0.5", "[0.5] apply only to mobilenet_v2")]
    [InlineData("  epochs: 2", "  epochs: 2\n  nesterov: [false, true]\n  momentum: [0.9, 0]", "training.nesterov[1]", "true]", "true is combined with momentum 0")]
    public void TheValidatorsProblemsLandOnTheValueTheyAreAbout(string from, string to, string key, string at, string expected)
    {
        var yaml = Replace(Valid, from, to);

        var error = Single(yaml);

        Assert.Equal(key, error.Key);
        Assert.Equal((SweepFolder.LineOf(yaml, at), SweepFolder.ColumnOf(yaml, at)), (error.Line, error.Column));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheValidatorsFieldNamesAreWrittenAsTheFilesKeys()
    {
        var error = Single(Replace(Valid, "activations: [relu, cos]", "activations: [relu, cos]\nbaseline: swish"));
        Assert.Equal("baseline", error.Key);
        Assert.Equal("'swish' is not among the activations ['relu', 'cos']; choose one of them, or add it to activations", error.Message);

        var momentum = Single(Replace(Valid, "  epochs: 2", "  epochs: 2\n  momentum: 1.5"));
        Assert.Equal("training.momentum", momentum.Key);

        var nesterov = Single(Replace(Valid, "  epochs: 2", "  epochs: 2\n  nesterov: true\n  momentum: 0"));
        Assert.EndsWith("drop 0 from momentum, or drop true from nesterov", nesterov.Message, StringComparison.Ordinal);

        var shape = Single(Replace(Valid, "  epochs: 2", "  epochs: 2\n  depth: 5"));
        Assert.Contains("sweep mlp on its own, or leave depths empty", shape.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("training.depths", shape.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryProblemInAFileIsReportedTogetherEachAtItsOwnLine()
    {
        var yaml = """
            name: many problems
            dataset: {name: fashion-mnist, path: data, train_per_clas: 10}
            models: [small_cnn, resnet18]
            activations: [relu, cos]
            baseline: swish
            seeds: [1, -2]
            training:
              epochs: three
              lerning_rate: 0.1
              momentum: 0.9
              momentum: 0.8
            max_attempts: 0
            colour: blue
            """;

        var errors = Errors(yaml);

        var expected = new (string Key, string At, string Message)[]
        {
            ("name", "many problems", "'many problems' cannot be a grain key"),
            ("dataset.train_per_clas", "train_per_clas", "did you mean 'train_per_class'?"),
            ("models[1]", "resnet18", "'resnet18' is not a known model"),
            ("baseline", "swish", "'swish' is not among the activations"),
            ("seeds[1]", "-2", "-2 is negative"),
            ("training.epochs", "three", "'three' is not a whole number"),
            ("training.lerning_rate", "lerning_rate", "did you mean 'learning_rate'?"),
            ("training.momentum", "momentum: 0.8", "is given twice (first on line 10)"),
            ("max_attempts", "0", "is 0: give each cell at least 1 attempt"),
            ("colour", "colour", "unknown key"),
        };
        Assert.Equal(expected.Select(e => e.Key), errors.Select(e => e.Key));
        foreach (var (error, want) in errors.Zip(expected))
        {
            Assert.Equal(SweepFolder.LineOf(yaml, want.At == "0" ? "max_attempts" : want.At), error.Line);
            Assert.Contains(want.Message, error.Message, StringComparison.Ordinal);
        }
        Assert.Equal(errors.Count, errors.Select(e => e.Line).Distinct().Count());
    }

    [Fact]
    public void MissingKeysAreReportedTogetherAtTheTopOfTheFile()
    {
        var errors = Errors("name: bare\ntraining:\n  epochs: 1\n");

        Assert.Equal(["dataset", "models", "activations", "seeds"], errors.Select(e => e.Key));
        Assert.All(errors, e => Assert.Equal((1, 1), (e.Line, e.Column)));
        Assert.All(errors, e => Assert.StartsWith("is missing; give", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void BothTheSingularAndThePluralKeyIsAProblem()
    {
        var yaml = Valid + "\nmodel: mlp";
        var error = Single(yaml);
        Assert.Equal("model", error.Key);
        Assert.Equal(SweepFolder.LineOf(yaml, "model: mlp"), error.Line);
        Assert.Contains("'model' and 'models' are both given; keep one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADataFolderThatDoesNotExistIsAProblemOnlyWhereDataIsChecked()
    {
        var yaml = Replace(Valid, "path: data", "path: missing-data");

        var error = Single(yaml);
        Assert.Equal("dataset.path", error.Key);
        Assert.Equal(SweepFolder.ColumnOf(yaml, "missing-data"), error.Column);
        Assert.Contains($"the folder '{Path.Combine(folder.Path, "missing-data")}' does not exist", error.Message, StringComparison.Ordinal);

        Assert.True(folder.Load(yaml, checkDataFolders: false).Succeeded);
    }

    [Theory]
    [InlineData("models: [small_cnn]", "models: [small_cnn", "[small_cnn", "this '[' is not closed before a line that starts further left; close it with ']'")]
    [InlineData("seeds: 3", "seeds: {count: 3", "{count", "this '{' is not closed")]
    [InlineData("activations: [relu, cos]", "activations: relu: cos", ": cos", "While scanning a plain scalar value, found invalid mapping.")]
    [InlineData("seeds: 3", "seeds: *three", "*three", "the alias *three names no anchor &three defined above it")]
    public void ASyntaxErrorIsReportedAloneWithItsPosition(string from, string to, string at, string expected)
    {
        var yaml = Replace(Valid, from, to);

        var error = Single(yaml);

        Assert.Equal("", error.Key);
        Assert.Equal((SweepFolder.LineOf(yaml, at), SweepFolder.ColumnOf(yaml, at)), (error.Line, error.Column));
        Assert.StartsWith($"YAML syntax error: {expected}", error.Message, StringComparison.Ordinal);
        Assert.Equal($"{error.File}:{error.Line}:{error.Column}: {error.Message}", error.ToString());
    }

    [Fact]
    public void ATabInTheIndentationIsReportedAtThatLine()
    {
        var yaml = Replace(Valid, "  epochs: 2", "\tepochs: 2");
        var error = Single(yaml);
        Assert.Equal((SweepFolder.LineOf(yaml, "\tepochs"), 1), (error.Line, error.Column));
        Assert.Contains("this line indents with a tab: YAML indents with spaces only", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    public void AnEmptyFileIsAProblem(string yaml)
    {
        var error = Single(yaml);
        Assert.Equal(0, error.Line);
        Assert.StartsWith("the file is empty; a sweep needs at least dataset, models, activations and seeds", error.Message, StringComparison.Ordinal);
        Assert.Equal($"{error.File}: {error.Message}", error.ToString());
    }

    [Fact]
    public void AFileThatIsNotAMappingIsAProblem()
    {
        var error = Single("- relu\n- cos\n");
        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.Contains("the file holds a list, not a sweep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASecondDocumentIsAProblem()
    {
        var yaml = Valid + "\n---\nname: other\n";
        var error = Single(yaml);
        Assert.Equal(SweepFolder.LineOf(yaml, "name: other"), error.Line);
        Assert.Contains("a sweep file holds one sweep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileIsAProblemNamingThePath()
    {
        var path = Path.Combine(folder.Path, "nowhere.yaml");
        var result = SweepFile.Load(path);
        var error = Assert.Single(result.Errors);
        Assert.Equal($"{path}: no such file; check the path (the shipped sweeps are in the repository's sweeps/ folder, such as sweeps/quickstart.yaml)", error.ToString());

        Assert.Contains("is a folder", Assert.Single(SweepFile.Load(folder.Path).Errors).Message, StringComparison.Ordinal);
    }
}
