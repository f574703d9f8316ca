using CoS.Distributed.Silo.Cells;
using CoS.Distributed.Silo.Storage;
using CoS.Distributed.Testing;
using Microsoft.Extensions.Logging;

namespace CoS.Distributed.Silo.Tests.Cells;

/// <summary>SIGTERM while the blob store retries against storage that is down (a real Azurite, taken away).</summary>
[Collection(SharedAzurite.Name)]
public sealed class DrainDuringStorageRetriesTests(AzuriteServer azurite) : IDisposable
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(30);

    private readonly TrainerBench bench = new();

    [Fact]
    public async Task StoppingWhileAResumeRetriesAgainstStorageThatIsDownHandsTheAttemptBack()
    {
        azurite.Start();
        var retries = new FirstRetry();
        var store = BlobCheckpointStore.Create(new StorageOptions { Kind = StorageKind.AzureBlob, ConnectionString = azurite.ConnectionString }, retries);
        var cell = TrainerBench.Cell with { SweepName = "drain-" + Guid.NewGuid().ToString("N")[..8] };
        using var stop = new CancellationTokenSource();
        var first = Reports.AcceptingUntil(1, stop.Cancel);
        bench.Trainer(store).Train(TrainerBench.Attempt(TrainerBench.Start(1), first, cell), stop.Token);
        var acknowledged = first.Acknowledged.Single();

        AttemptResult result;
        azurite.Stop();
        try
        {
            using var stopping = new CancellationTokenSource();
            var train = Task.Run(() => bench.Trainer(store).Train(TrainerBench.Attempt(TrainerBench.Start(2, 1, acknowledged), new Reports(), cell), stopping.Token));
            await retries.Seen.WaitAsync(Prompt);
            await stopping.CancelAsync();
            result = await train.WaitAsync(Prompt);
        }
        finally
        {
            azurite.Start();
        }

        Assert.Equal(AttemptOutcome.HandedBack, result.Outcome);
        var resumed = new Reports();
        var next = bench.Trainer(store).Train(TrainerBench.Attempt(TrainerBench.Start(3, 1, acknowledged), resumed, cell), CancellationToken.None);
        Assert.Equal(AttemptOutcome.Completed, next.Outcome);
        Assert.Equal([2, 3], resumed.Epochs);
    }

    public void Dispose() => bench.Dispose();

    /// <summary>Notices the storage retry pipeline's first retry (StorageLog's event 1001).</summary>
    private sealed class FirstRetry : ILogger
    {
        private readonly TaskCompletionSource seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Seen => seen.Task;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 1001) seen.TrySetResult();
        }
    }
}
