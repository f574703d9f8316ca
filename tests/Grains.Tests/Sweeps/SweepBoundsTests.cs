using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Grains.Sweeps;

namespace CoS.Distributed.Grains.Tests.Sweeps;

/// <summary>
/// Upper bounds on what a sweep may ask: an absurd value (an mlp 10⁹ units wide) would otherwise reach the training
/// core and end the silo in a native out-of-memory crash. Each is refused before anything starts, with the key, the
/// value, the bound and the fix, and reported with every other problem.
/// </summary>
public sealed class SweepBoundsTests : IDisposable
{
    private readonly TemporaryFolder data = new();

    public void Dispose() => data.Dispose();

    private SweepSpec Mlp() => SampleSpecs.Sweep(data.Path) with { Models = ["mlp"] };

    private SweepSpec MobileNet() => SampleSpecs.Sweep(data.Path) with { Models = ["mobilenet_v2"] };

    private static HyperParameterAxes Axes(SweepSpec s) => s.Training;

    private static readonly Dictionary<string, (Func<SweepBoundsTests, SweepSpec> Spec, string Expected)> Cases = new()
    {
        ["mlp width 10⁹"] = (t => t.Mlp() with { Training = Axes(t.Mlp()) with { Widths = [256, 1_000_000_000] } },
            "training.widths: 1000000000 is above the bound of 65536 units per layer; give at most 65536"),
        ["mlp depth"] = (t => t.Mlp() with { Training = Axes(t.Mlp()) with { Depths = [2, 5000] } },
            "training.depths: 5000 is above the bound of 1000 hidden layers; give at most 1000"),
        ["width multiplier"] = (t => t.MobileNet() with { Training = Axes(t.MobileNet()) with { WidthMultipliers = [1.0, 1e6] } },
            "training.width_multipliers: 1000000 is above the bound of 4; give at most 4"),
        ["batch size"] = (t => t.Mlp() with { Training = Axes(t.Mlp()) with { BatchSizes = [1_000_000_000] } },
            "training.batch_sizes: 1000000000 is above the bound of 65536 examples; give at most 65536"),
        ["epochs"] = (t => t.Mlp() with { Training = Axes(t.Mlp()) with { Epochs = [3, 2_000_000] } },
            "training.epochs: 2000000 is above the bound of 10000 epochs; give at most 10000"),
        ["step epochs"] = (t => t.Mlp() with { Training = Axes(t.Mlp()) with { Schedules = ["step"], StepEpochs = 1_000_000 } },
            "training.step_epochs: 1000000 is above the bound of 10000 epochs; give at most 10000"),
        ["max attempts"] = (t => t.Mlp() with { MaxAttempts = 1_000_000 },
            "max_attempts: 1000000 is above the bound of 100 attempts; give at most 100"),
        ["keep checkpoints"] = (t => t.Mlp() with { KeepCheckpoints = 1_000_000 },
            "keep_checkpoints: 1000000 is above the bound of 10000 checkpoints; give at most 10000"),
        ["checkpoint every"] = (t => t.Mlp() with { CheckpointEveryEpochs = 1_000_000 },
            "checkpoint_every_epochs: 1000000 is above the bound of 10000 epochs; give at most 10000"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void AValueAboveItsBoundIsRefusedNamingTheKeyTheValueTheBoundAndTheFix(string name)
    {
        var (spec, expected) = Cases[name];

        var problems = SweepValidator.Validate(spec(this));

        Assert.Contains(problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryBoundIsReportedAtOnceWithTheSweepsOtherProblems()
    {
        var spec = Mlp() with
        {
            Seeds = [-1],
            MaxAttempts = 1_000,
            Training = Axes(Mlp()) with { Widths = [1_000_000_000], Depths = [5000], BatchSizes = [1_000_000], Epochs = [100_000] },
        };

        var problems = SweepValidator.Validate(spec);

        Assert.Contains(problems, p => p.StartsWith("seeds: -1 is negative", StringComparison.Ordinal));
        foreach (var key in new[] { "max_attempts:", "training.widths:", "training.depths:", "training.batch_sizes:", "training.epochs:" })
            Assert.Contains(problems, p => p.StartsWith(key, StringComparison.Ordinal) && p.Contains("is above the bound", StringComparison.Ordinal));
    }

    [Fact]
    public void AnMlpWhoseWidthAndDepthTogetherExceedTheParameterBoundIsRefused()
    {
        // 65536 units, 4 hidden layers: 784·65536 + 3·65536² ≈ 1.29·10¹⁰ weights, far past what a GPU holds.
        var spec = Mlp() with { Training = Axes(Mlp()) with { Widths = [256, 65536], Depths = [1, 4] } };

        var problem = Assert.Single(SweepValidator.Validate(spec));

        Assert.StartsWith("training.widths: 65536 with training.depths [4] makes an mlp of 12,937,199,626 parameters on fashion-mnist", problem, StringComparison.Ordinal);
        Assert.Contains("above the bound of 1,000,000,000 parameters", problem, StringComparison.Ordinal);
        Assert.Contains("give a smaller width or depth", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLargestValuesWithinTheBoundsAreAccepted()
    {
        var mlp = Mlp() with
        {
            MaxAttempts = 100,
            KeepCheckpoints = 10_000,
            CheckpointEveryEpochs = 10_000,
            Training = Axes(Mlp()) with { Widths = [65536], Depths = [1], BatchSizes = [65536], Epochs = [10_000], Schedules = ["step"], StepEpochs = 10_000 },
        };
        Assert.Empty(SweepValidator.Validate(mlp));

        var deep = Mlp() with { Training = Axes(Mlp()) with { Widths = [256], Depths = [1000] } };
        Assert.Empty(SweepValidator.Validate(deep));

        var wide = MobileNet() with { Training = Axes(MobileNet()) with { WidthMultipliers = [4.0] } };
        Assert.Empty(SweepValidator.Validate(wide));
    }
}
