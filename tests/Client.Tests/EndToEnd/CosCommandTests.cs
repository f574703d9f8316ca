using System.Text.Json;

namespace CoS.Distributed.Client.Tests.EndToEnd;

/// <summary>The cos tool end to end: a real embedded silo training real Fashion-MNIST cells.</summary>
public sealed class CosCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cos-cli-").FullName;

    private const string TinySweep = """
        name: tiny
        dataset:
          name: fashion-mnist
          train_per_class: 30
          test_per_class: 10
        models: [small_cnn]
        activations: [relu, cos]
        baseline: relu
        seeds: 3
        training:
          epochs: 2
          batch_size: 32
          learning_rate: 0.05
        """;

    private string Write(string name, string content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string DataDirectory => Path.Combine(folder, "data");

    private Task<CosRunner.Outcome> RunUntilTheFirstCheckpoint(string sweep) =>
        CosRunner.RunUntilTheFirstCheckpoint(DataDirectory, "run", sweep, "--data-dir", DataDirectory, "--out", Path.Combine(folder, "first"), "--slots", "1");

    [Fact]
    public async Task ValidateAcceptsAGoodSweepAndSaysWhatItExpandsTo()
    {
        var result = await CosRunner.Run("validate", Write("tiny.yaml", TinySweep));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("tiny: valid, 6 cell(s) in 2 group(s)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateListsEveryProblemWithFileAndLineAndExitsOne()
    {
        var path = Write("bad.yaml", """
            name: bad
            dataset: fashion-mnist
            models: [small_cnn, resnet9000]
            activations: [relu, "x*+2"]
            seeds: [-1]
            training:
              lerning_rate: 0.1
            """);
        var result = await CosRunner.Run("validate", path);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bad.yaml:3:", result.Error, StringComparison.Ordinal);
        Assert.Contains("resnet9000", result.Error, StringComparison.Ordinal);
        Assert.Contains("bad.yaml:4:", result.Error, StringComparison.Ordinal);
        Assert.Contains("bad.yaml:5:", result.Error, StringComparison.Ordinal);
        Assert.Contains("learning_rate", result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was started", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunTrainsTheSweepAndWritesEveryReportFormatAndThePlots()
    {
        var output = Path.Combine(folder, "out");
        var result = await CosRunner.Run("run", Write("tiny.yaml", TinySweep), "--data-dir", DataDirectory, "--out", output, "--slots", "2", "--threads-per-slot", "1");
        Assert.True(result.ExitCode == 0, result.ToString());
        // Without a terminal: plain progress lines, no escape codes.
        Assert.Contains("tiny: 6/6 done", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", result.Output, StringComparison.Ordinal);
        var files = Directory.GetFiles(output).Select(Path.GetFileName).ToList();
        Assert.Contains(files, f => f!.EndsWith(".md", StringComparison.Ordinal));
        Assert.Contains(files, f => f!.EndsWith(".csv", StringComparison.Ordinal));
        Assert.Contains(files, f => f!.EndsWith(".json", StringComparison.Ordinal));
        Assert.Contains(files, f => f!.EndsWith("test-accuracy.png", StringComparison.Ordinal));
        Assert.Contains(files, f => f == "activations.png");
        using var json = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(output, "*.json").Single()));
        Assert.Contains("cos", File.ReadAllText(Directory.GetFiles(output, "*.md").Single()), StringComparison.OrdinalIgnoreCase);

        var again = await CosRunner.Run("report", "tiny", "--data-dir", DataDirectory, "--format", "csv", "--out", Path.Combine(folder, "csv"));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder, "csv"), "*.csv"));

        var status = await CosRunner.Run("status", "tiny", "--data-dir", DataDirectory);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("6/6 done", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInterruptedRunResumesWhenRunAgainAndFinishesEveryCell()
    {
        var sweep = Write("tiny.yaml", TinySweep);
        var first = await RunUntilTheFirstCheckpoint(sweep);
        Assert.True(first.ExitCode == 130, first.ToString());
        Assert.Contains("run the same command again to resume", first.Error, StringComparison.Ordinal);

        var second = await CosRunner.Run("run", sweep, "--data-dir", DataDirectory, "--out", Path.Combine(folder, "second"), "--slots", "2");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("already submitted: continuing", second.Output, StringComparison.Ordinal);
        Assert.Contains("tiny: 6/6 done", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACancelledSweepIsNotRunAgainUntilItIsResumedAndThenFinishesEveryCell()
    {
        var sweep = Write("tiny.yaml", TinySweep);
        var first = await RunUntilTheFirstCheckpoint(sweep);
        Assert.True(first.ExitCode == 130, first.ToString());
        var cancel = await CosRunner.Run("cancel", "tiny", "--data-dir", DataDirectory);
        Assert.True(cancel.ExitCode == 0, cancel.ToString());

        var refused = await CosRunner.Run("run", sweep, "--data-dir", DataDirectory, "--out", Path.Combine(folder, "refused"), "--slots", "2");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("sweep 'tiny' was cancelled", refused.Error, StringComparison.Ordinal);
        Assert.Contains("cos resume tiny", refused.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder, "refused")), "no partial report for a sweep that was not run");

        var resume = await CosRunner.Run("resume", "tiny", "--data-dir", DataDirectory);
        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Contains("sweep 'tiny' resumed", resume.Output, StringComparison.Ordinal);
        var again = await CosRunner.Run("resume", "tiny", "--data-dir", DataDirectory);
        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Contains("is not cancelled", again.Error, StringComparison.Ordinal);

        var second = await CosRunner.Run("run", sweep, "--data-dir", DataDirectory, "--out", Path.Combine(folder, "second"), "--slots", "2");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("tiny: 6/6 done", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskingForAnUnknownSweepIsAUserError()
    {
        var result = await CosRunner.Run("status", "no-such-sweep", "--data-dir", DataDirectory);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("there is no sweep named 'no-such-sweep'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActivationPlotsAreWrittenForNamesAndFormulas()
    {
        var output = Path.Combine(folder, "plots");
        var result = await CosRunner.Run("activations", "plot", "relu", "cos", "x*tanh(softplus(x))", "--out", output);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(Path.Combine(output, "activations.png")));
        Assert.True(File.Exists(Path.Combine(output, "activation-derivatives.png")));
        var bad = await CosRunner.Run("activations", "plot", "x*+2", "--out", output);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("position 2", bad.Error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A silo still releasing files must not fail the test; the temp folder is cleaned by the OS.
        }
    }
}
