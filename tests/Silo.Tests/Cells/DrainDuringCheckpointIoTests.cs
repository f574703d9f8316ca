using CoS.Distributed.Silo.Cells;

namespace CoS.Distributed.Silo.Tests.Cells;

/// <summary>
/// SIGTERM or Ctrl-C while a checkpoint is being written or read: the attempt is handed back, never failed,
/// and the next attempt resumes from what the grain acknowledged.
/// </summary>
public sealed class DrainDuringCheckpointIoTests : IDisposable
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(30);

    private readonly TrainerBench bench = new();

    [Fact]
    public async Task StoppingWhileACheckpointSaveHangsHandsTheAttemptBack()
    {
        var store = bench.Store("save");
        var stalling = new StallingCheckpointStore(store) { StallSaveOfEpoch = 2 };
        using var stopping = new CancellationTokenSource();
        var first = new Reports();
        var train = Task.Run(() => bench.Trainer(stalling).Train(TrainerBench.Attempt(TrainerBench.Start(1), first), stopping.Token));
        await stalling.Stalled.WaitAsync(Prompt);
        await stopping.CancelAsync();

        var result = await train.WaitAsync(Prompt);

        Assert.Equal(AttemptOutcome.HandedBack, result.Outcome);
        Assert.Equal([1], first.Epochs);
        var resumed = new Reports();
        var next = bench.Trainer(store).Train(TrainerBench.Attempt(TrainerBench.Start(2, 1, first.Acknowledged[^1]), resumed), CancellationToken.None);
        Assert.Equal(AttemptOutcome.Completed, next.Outcome);
        Assert.Equal([2, 3], resumed.Epochs);
        Assert.Equal(TrainerBench.Straight[2].TestAccuracy, resumed.All[^1].TestAccuracy);
    }

    [Fact]
    public async Task StoppingWhileACheckpointReadHangsHandsTheAttemptBack()
    {
        var store = bench.Store("read");
        using var stop = new CancellationTokenSource();
        var first = Reports.AcceptingUntil(1, stop.Cancel);
        bench.Trainer(store).Train(TrainerBench.Attempt(TrainerBench.Start(1), first), stop.Token);
        var acknowledged = first.Acknowledged.Single();

        var stalling = new StallingCheckpointStore(store) { StallReads = true };
        using var stopping = new CancellationTokenSource();
        var stalled = new Reports();
        var train = Task.Run(() => bench.Trainer(stalling).Train(TrainerBench.Attempt(TrainerBench.Start(2, 1, acknowledged), stalled), stopping.Token));
        await stalling.Stalled.WaitAsync(Prompt);
        await stopping.CancelAsync();

        var result = await train.WaitAsync(Prompt);

        Assert.Equal(AttemptOutcome.HandedBack, result.Outcome);
        Assert.Empty(stalled.All);
        var resumed = new Reports();
        var next = bench.Trainer(store).Train(TrainerBench.Attempt(TrainerBench.Start(3, 1, acknowledged), resumed), CancellationToken.None);
        Assert.Equal(AttemptOutcome.Completed, next.Outcome);
        Assert.Equal([2, 3], resumed.Epochs);
        Assert.Equal(TrainerBench.Straight[2].TestAccuracy, resumed.All[^1].TestAccuracy);
    }

    public void Dispose() => bench.Dispose();
}
