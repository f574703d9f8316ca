using CoS.Distributed.Training.Data;

namespace CoS.Distributed.Training.Tests.Training;

/// <summary>The real Fashion-MNIST (Debian package dataset-fashion-mnist), loaded once for the trainer tests.</summary>
public sealed class FashionMnistFixture : IDisposable
{
    public static readonly DatasetOptions Full = new() { Name = "fashion-mnist" };
    public static readonly DatasetOptions Small = new() { Name = "fashion-mnist", TrainPerClass = 60, TestPerClass = 30, SubsetSeed = 7 };

    private readonly Lazy<DataSplit> full = new(() => DatasetCatalog.Load(Full));
    private readonly Lazy<DataSplit> small = new(() => DatasetCatalog.Load(Small));

    public DataSplit FullSplit => full.Value;
    public DataSplit SmallSplit => small.Value;

    public void Dispose()
    {
        if (full.IsValueCreated) full.Value.Dispose();
        if (small.IsValueCreated) small.Value.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class FashionMnistTests : ICollectionFixture<FashionMnistFixture>
{
    public const string Name = "Fashion-MNIST";
}
