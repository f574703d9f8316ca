namespace CoS.Distributed.Training.Data;

/// <summary>The training and test parts of one data set; disposing it frees both.</summary>
public sealed class DataSplit : IDisposable
{
    public DataSplit(InMemoryDataset train, InMemoryDataset test)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        Train = train;
        Test = test;
    }

    public InMemoryDataset Train { get; }
    public InMemoryDataset Test { get; }

    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
