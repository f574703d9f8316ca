using CoS.Distributed.Training.Data;

namespace CoS.Distributed.Training.Tests.Data;

public class StratifiedSubsetTests
{
    private static readonly byte[] Labels = DataFiles.Labels(1000);

    [Fact]
    public void TakesExactlyNOfEveryClassInAscendingOrder()
    {
        var chosen = StratifiedSubset.Select(Labels, 10, 7, seed: 3, "test labels");

        Assert.Equal(70, chosen.Length);
        Assert.Equal(chosen.Order(), chosen);
        Assert.Equal(70, chosen.Distinct().Count());
        Assert.All(chosen.GroupBy(i => Labels[i]), group => Assert.Equal(7, group.Count()));
    }

    [Fact]
    public void SameSeedPicksTheSameExamplesAndAnotherSeedOthers()
    {
        var first = StratifiedSubset.Select(Labels, 10, 5, seed: 42, "test labels");
        var again = StratifiedSubset.Select(Labels, 10, 5, seed: 42, "test labels");
        var other = StratifiedSubset.Select(Labels, 10, 5, seed: 43, "test labels");

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void EveryExampleCanBeChosen()
    {
        var seen = Enumerable.Range(0, 200).SelectMany(seed => StratifiedSubset.Select(Labels, 10, 10, seed, "test labels")).ToHashSet();

        Assert.Equal(1000, seen.Count);
    }

    [Fact]
    public void TooFewExamplesNamesTheClassAndTheCounts()
    {
        byte[] labels = [0, 0, 0, 1, 1, 2, 2, 2];

        var error = Assert.Throws<ArgumentException>(() => StratifiedSubset.Select(labels, 3, 3, 0, "tiny train"));

        Assert.Contains("tiny train", error.Message, StringComparison.Ordinal);
        Assert.Contains("class 1 has 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("at most 2 per class", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenManyClassesAreShortTheMessageStaysShort()
    {
        var error = Assert.Throws<ArgumentException>(() => StratifiedSubset.Select(Labels, 10, 101, 0, "test labels"));

        Assert.Contains("class 0 has 100, class 1 has 100, class 2 has 100 and 7 more classes have fewer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeedMixerMatchesTheSplitMix64ReferenceOutput()
    {
        var random = new SeedMixer(1234567);

        Assert.Equal(6457827717110365317UL, random.Next());
        Assert.Equal(3203168211198807973UL, random.Next());
        Assert.Equal(9817491932198370423UL, random.Next());
    }
}
