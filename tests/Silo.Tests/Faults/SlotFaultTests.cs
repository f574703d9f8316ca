using CoS.Distributed.Grains.Cells;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Scheduling;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Testing.Faults;

namespace CoS.Distributed.Silo.Tests.Faults;

/// <summary>
/// Whole sweeps through the product's slot workers, with a fault injected in the real runtime: each must finish, count
/// every cell exactly once, and end with exactly the metrics of the same sweep run without faults.
/// </summary>
[Collection(SlotClusterTests.Name)]
public sealed class SlotFaultTests(SlotCluster cluster) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static IReadOnlyDictionary<string, EpochReport>? uninterrupted;
    private static int sweeps;
    private readonly List<CallFaultRule> callRules = [];
    private readonly List<StorageFaultRule> storageRules = [];

    private static string Name(string what) => $"{what}-{Interlocked.Increment(ref sweeps)}";

    private async Task<IReadOnlyDictionary<string, EpochReport>> Uninterrupted()
    {
        if (uninterrupted is null)
        {
            var status = await cluster.Run(SlotCluster.Sweep(Name("clean")), Timeout);
            Assert.All(status.Cells, c => Assert.Equal(CellStatus.Completed, c.Status));
            uninterrupted = status.Cells.ToDictionary(c => c.CellId, c => c.LastEpoch!);
        }
        return uninterrupted;
    }

    private async Task AssertAsUninterrupted(SweepStatus status)
    {
        var expected = await Uninterrupted();
        Assert.Equal(expected.Keys.Order(), status.Cells.Select(c => c.CellId).Order());
        foreach (var cell in status.Cells)
        {
            Assert.True(cell.Status == CellStatus.Completed, $"{cell.CellId} is {cell.Status}: {cell.Error}");
            // Every metric but the timing: training is deterministic, so a fault may cost time, never a different result.
            Assert.Equal(expected[cell.CellId] with { Seconds = 0, SamplesPerSecond = 0 }, cell.LastEpoch! with { Seconds = 0, SamplesPerSecond = 0 });
        }
        var groups = await cluster.Grains.GetGrain<ISweepGrain>(status.Name).GetStatistics();
        Assert.Equal(status.Cells.Select(c => c.CellId).Order(), groups.SelectMany(g => g.Cells.Select(c => c.CellId)).Order());
        Assert.All(groups, g => Assert.Equal(2, g.Completed));
    }

    private void Fault(CallFaultRule rule) => callRules.Add(CallFaults.Add(rule));

    private void Fault(StorageFaultRule rule) => storageRules.Add(FaultyGrainStorage.Add(rule));

    private static bool Of(IIncomingGrainCallContext call, string sweep) =>
        (call.TargetId.Key.ToString() ?? "").StartsWith(sweep + "/", StringComparison.Ordinal);

    [Fact]
    public async Task ASweepFinishesAsUninterruptedWhenTheFirstLeaseRepliesAreLost()
    {
        await Uninterrupted();
        var name = Name("lost-lease-reply");
        Fault(new CallFaultRule { Method = nameof(ISchedulerGrain.Lease), Fault = CallFault.LoseReply, WhenResult = r => r is CellLease l && l.Cell.SweepName == name, Times = 2 });
        await AssertAsUninterrupted(await cluster.Run(SlotCluster.Sweep(name), Timeout));
        Assert.Equal(2, callRules[0].Faulted);
    }

    [Fact]
    public async Task ASweepFinishesAsUninterruptedWhenAnEpochReplyAndAnEndOfAttemptReplyAreLost()
    {
        await Uninterrupted();
        var name = Name("lost-report-reply");
        Fault(new CallFaultRule { Method = nameof(ICellGrain.ReportEpoch), Fault = CallFault.LoseReply, When = call => Of(call, name) });
        Fault(new CallFaultRule { Method = nameof(ICellGrain.EndAttempt), Fault = CallFault.LoseReply, When = call => Of(call, name) });
        await AssertAsUninterrupted(await cluster.Run(SlotCluster.Sweep(name), Timeout));
        Assert.All(callRules, r => Assert.Equal(1, r.Faulted));
    }

    [Fact]
    public async Task ASweepFinishesAsUninterruptedWhenACellsFinalWriteFailsOnce()
    {
        await Uninterrupted();
        var name = Name("failed-write");
        Fault(new StorageFaultRule { When = (_, id, state) => id.ToString().Contains(name + "/", StringComparison.Ordinal) && state is CellGrainState { Status: CellStatus.Completed }, Times = 2 });
        await AssertAsUninterrupted(await cluster.Run(SlotCluster.Sweep(name), Timeout));
        Assert.Equal(2, storageRules[0].Failed);
    }

    [Fact]
    public async Task ASweepFinishesAsUninterruptedWhenNoticesToTheSweepAreLost()
    {
        await Uninterrupted();
        var name = Name("lost-notices");
        Fault(new CallFaultRule
        {
            Method = nameof(ISweepGrain.CellChanged),
            Fault = CallFault.Drop,
            When = call => call.TargetId.Key.ToString() == name && call.Request.GetArgument(0) is CellSummary { Status: CellStatus.Running or CellStatus.Completed },
            Times = 3,
        });
        await AssertAsUninterrupted(await cluster.Run(SlotCluster.Sweep(name), Timeout));
        Assert.Equal(3, callRules[0].Faulted);
    }

    [Fact]
    public async Task ACellWhoseLeaseLapsesOnALiveSiloIsFencedAndRunAgainToTheUninterruptedResult()
    {
        await Uninterrupted();
        var name = Name("lapsed");
        // Heartbeats are lost while one report hangs longer than the 3 s lease: the lease lapses with the silo alive.
        Fault(new CallFaultRule { Method = nameof(ISchedulerGrain.Renew), Fault = CallFault.Drop, Times = 6 });
        Fault(new CallFaultRule { Method = nameof(ICellGrain.ReportEpoch), Fault = CallFault.Delay, Delay = TimeSpan.FromSeconds(5), When = call => Of(call, name) });
        var status = await cluster.Run(SlotCluster.Sweep(name), Timeout);
        await AssertAsUninterrupted(status);
        Assert.Equal(1, callRules[1].Faulted);
        Assert.Contains(status.Cells, c => c.Attempt > 1);
        Assert.True((await cluster.Grains.GetGrain<ISchedulerGrain>(0).GetStatus()).LeasesLapsed > 0);
    }

    public void Dispose()
    {
        foreach (var rule in callRules) CallFaults.Remove(rule);
        foreach (var rule in storageRules) FaultyGrainStorage.Remove(rule);
    }
}
