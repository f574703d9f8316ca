using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Grains.Sweeps;

namespace CoS.Distributed.Grains.Tests.Sweeps;

public sealed class SweepExpansionTests
{
    // 2 data sets × 2 models × 3 activations × 2 epochs × 2 optimizers × 2 learning rates × 2 nesterov × 2 augment
    // × 2 depths × 3 seeds; every other axis has one value, the width multipliers and widths none.
    private static SweepSpec Wide() => new()
    {
        Name = "wide",
        Datasets = [new DatasetSpec { Name = "fashion-mnist" }, new DatasetSpec { Name = "fashion-mnist", TrainPerClass = 10 }],
        Models = ["mlp", "small_cnn"],
        Activations = ["relu", "swish", "x*tanh(softplus(x))"],
        Seeds = [11, 12, 13],
        Training = new HyperParameterAxes
        {
            Epochs = [2, 4],
            Optimizers = ["sgd", "adam"],
            LearningRates = [0.1, 0.01],
            Nesterov = [false, true],
            Augment = [false, true],
            Depths = [1, 2],
        },
    };

    private const int WideCount = 2 * 2 * 3 * 2 * 2 * 2 * 2 * 2 * 2 * 3;

    [Fact]
    public void CellCountIsTheProductOfTheAxes()
    {
        Assert.Equal(WideCount, SweepExpansion.Expand(Wide()).Count);
        Assert.Equal(WideCount, SweepExpansion.CountCombinations(Wide()));
    }

    [Fact]
    public void EveryCombinationAppearsExactlyOnce()
    {
        var spec = Wide();
        var cells = SweepExpansion.Expand(spec);
        Assert.Equal(cells.Count, cells.Select(c => c.CellId).Distinct().Count());

        var expected =
            from d in spec.Datasets
            from m in spec.Models
            from a in spec.Activations
            from e in spec.Training.Epochs
            from o in spec.Training.Optimizers
            from lr in spec.Training.LearningRates
            from n in spec.Training.Nesterov
            from au in spec.Training.Augment
            from depth in spec.Training.Depths
            from s in spec.Seeds
            select (d.TrainPerClass, m, a, e, o, lr, n, au, depth, s);
        var actual = cells.Select(c => (c.Spec.Dataset.TrainPerClass, c.Spec.Model, c.Spec.Activation, c.Spec.Epochs,
            c.Spec.Optimizer, c.Spec.LearningRate, c.Spec.Nesterov, c.Spec.Augment, c.Spec.Depth ?? -1, c.Spec.Seed));
        Assert.Equal(expected.ToHashSet(), actual.ToHashSet());
        Assert.Equal(WideCount, actual.ToHashSet().Count);
    }

    [Fact]
    public void OrderIsFixedWithSeedsInnermostAndDatasetsOutermost()
    {
        var first = SweepExpansion.Expand(Wide());
        var second = SweepExpansion.Expand(Wide());
        Assert.Equal(first.Select(c => c.CellId), second.Select(c => c.CellId));

        Assert.Equal([11L, 12, 13, 11, 12, 13], first.Take(6).Select(c => c.Spec.Seed));
        Assert.Equal(first[0].Spec with { Seed = 12 }, first[1].Spec);
        // After the seeds the innermost axis that varies is depth, then augment.
        Assert.Equal(first[0].Spec with { Depth = 2 }, first[3].Spec);
        Assert.Equal(first[0].Spec with { Augment = true }, first[6].Spec);
        Assert.All(first.Take(WideCount / 2), c => Assert.Null(c.Spec.Dataset.TrainPerClass));
        Assert.All(first.Skip(WideCount / 2), c => Assert.Equal(10, c.Spec.Dataset.TrainPerClass));
    }

    [Fact]
    public void AGroupIsTheCellsThatDifferOnlyInSeed()
    {
        var spec = Wide();
        var cells = SweepExpansion.Expand(spec);
        var groups = cells.GroupBy(c => c.GroupId).ToList();
        Assert.Equal(WideCount / spec.Seeds.Count, groups.Count);
        foreach (var group in groups)
        {
            Assert.Equal(spec.Seeds, group.Select(c => c.Spec.Seed));
            Assert.Single(group.Select(c => c.Spec with { Seed = 0 }).Distinct());
            Assert.All(group, c => Assert.Equal(CellIdentity.GroupId(c.Spec), c.GroupId));
        }
    }

    [Fact]
    public void IdsAreTheCellIdentityOfTheCanonicalSpec()
    {
        foreach (var cell in SweepExpansion.Expand(Wide()))
        {
            Assert.Equal(CellIdentity.CellId(cell.Spec), cell.CellId);
            Assert.Equal(CellIdentity.Canonical(cell.Spec), cell.Spec);
        }
    }

    [Fact]
    public void EmptyModelShapeAxesMeanTheModelsDefault()
    {
        var spec = Wide() with { Training = Wide().Training with { Depths = [] } };
        var cells = SweepExpansion.Expand(spec);
        Assert.Equal(WideCount / 2, cells.Count);
        Assert.All(cells, c =>
        {
            Assert.Null(c.Spec.WidthMultiplier);
            Assert.Null(c.Spec.Depth);
            Assert.Null(c.Spec.Width);
        });
    }

    [Fact]
    public void ModelShapeAxesAndStepSettingsReachEveryCell()
    {
        var spec = Wide() with
        {
            Models = ["mobilenet_v2"],
            Training = Wide().Training with { WidthMultipliers = [0.5, 0.75], Depths = [], Widths = [64], StepEpochs = 7, StepGamma = 0.5 },
        };
        var cells = SweepExpansion.Expand(spec);
        Assert.Equal([0.5, 0.75], cells.Select(c => c.Spec.WidthMultiplier!.Value).Distinct());
        Assert.All(cells, c =>
        {
            Assert.Equal(64, c.Spec.Width);
            Assert.Equal(7, c.Spec.StepEpochs);
            Assert.Equal(0.5, c.Spec.StepGamma);
        });
    }

    [Fact]
    public void AnEmptyAxisGivesNoCells()
    {
        Assert.Empty(SweepExpansion.Expand(Wide() with { Seeds = [] }));
        Assert.Equal(0, SweepExpansion.CountCombinations(Wide() with { Seeds = [] }));
    }

    [Fact]
    public void SpellingsOfOneConfigurationBecomeOneCellInCanonicalForm()
    {
        var spec = Wide() with { Activations = ["SiLU", "swish", " Swish"], Models = ["MLP"] };
        var cells = SweepExpansion.Expand(spec);
        Assert.Equal(WideCount / 6, cells.Count);
        Assert.All(cells, c =>
        {
            Assert.Equal("swish", c.Spec.Activation);
            Assert.Equal("mlp", c.Spec.Model);
        });
    }

    [Fact]
    public void AHugeProductIsCountedWithoutOverflow()
    {
        var seeds = Enumerable.Range(0, 1 << 20).Select(i => (long)i).ToList();
        var spec = Wide() with { Seeds = seeds, Activations = [.. Enumerable.Range(0, 1 << 20).Select(i => $"x+{i}")], Models = [.. Enumerable.Range(0, 1 << 20).Select(i => $"m{i}")] };
        Assert.Equal(long.MaxValue, SweepExpansion.CountCombinations(spec));
    }
}
