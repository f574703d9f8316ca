using CoS.Distributed.Grains.Cells;
using CoS.Distributed.Grains.Groups;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Groups;
using CoS.Distributed.Grains.Interfaces.Scheduling;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Testing.Faults;

namespace CoS.Distributed.Grains.Tests.Leases;

/// <summary>
/// The ways a cell could stay "running" forever on a live silo, or be counted wrong, each provoked with Orleans' real
/// runtime (a call filter that loses replies and drops messages, a grain storage that fails a write). The test plays
/// the slots, making exactly the calls a slot worker makes; every cell must come back to a slot that can run it.
/// </summary>
[Collection(GrainClusterTests.Name)]
public sealed class LeaseFaultTests(GrainCluster cluster) : IAsyncLifetime
{
    private readonly List<string> submitted = [];
    private static int slots;
    private static int sweeps;
    private readonly List<CallFaultRule> callRules = [];
    private readonly List<StorageFaultRule> storageRules = [];

    private ISchedulerGrain Scheduler => cluster.Grains.GetGrain<ISchedulerGrain>(0);

    private SlotAddress LiveSlot() => new(cluster.Cluster.Silos[0].SiloAddress.ToParsableString(), 2000 + Interlocked.Increment(ref slots), "cpu");

    private ICellGrain Cell(CellAssignment a) => cluster.Grains.GetGrain<ICellGrain>(CellKey.Of(a.SweepName, a.CellId));

    private CallFaultRule Fault(CallFaultRule rule)
    {
        callRules.Add(rule);
        return CallFaults.Add(rule);
    }

    private static bool CallFor(IIncomingGrainCallContext call, SlotAddress slot) => call.Request.GetArgument(0) is SlotAddress s && s == slot;

    /// <summary>
    /// A sweep of one cell (or <paramref name="cells"/>) submitted for real: the sweep grain queues its cells with the
    /// scheduler. Seeds differ between tests, so no two tests' sweeps share a cell id.
    /// </summary>
    private async Task<string> SubmitSweep(int cells = 1)
    {
        var name = Samples.Name("leases");
        var first = 1000L * Interlocked.Increment(ref sweeps);
        var spec = Samples.Sweep(name, [.. Enumerable.Range(0, cells).Select(i => first + i)]) with { Activations = ["relu"], BaselineActivation = null };
        var result = await cluster.Grains.GetGrain<ISweepGrain>(name).Submit(spec);
        Assert.True(result.Accepted, string.Join("; ", result.Problems));
        submitted.Add(name);
        return name;
    }

    /// <summary>Leases for a slot until a cell of the sweep comes (other tests share the scheduler: their cells are handed straight back).</summary>
    private async Task<CellLease?> LeaseFrom(string sweep, SlotAddress slot, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            var lease = await Scheduler.Lease(slot, Guid.NewGuid());
            if (lease is not null && lease.Cell.SweepName == sweep) return lease;
            if (lease is not null) await Scheduler.Release(lease, requeue: true);
            else await Task.Delay(100);
        }
        return null;
    }

    /// <summary>A slot's heartbeat for the leases it holds, as many times as the test waits.</summary>
    private async Task KeepRenewing(SlotAddress slot, CellLease lease, TimeSpan period, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await Scheduler.Renew(slot.Silo, [new HeldLease(lease.Id, lease.Cell.SweepName, lease.Cell.CellId, slot)]);
            await Task.Delay(period, CancellationToken.None);
        }
    }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ALeaseRetriedAfterItsReplyWasLostGetsTheCellTheFirstCallGranted()
    {
        var slot = LiveSlot();
        object? lost = null;
        Fault(new CallFaultRule
        {
            Method = nameof(ISchedulerGrain.Lease),
            Fault = CallFault.LoseReply,
            When = call => CallFor(call, slot),
            WhenResult = r => (lost = r) is CellLease,
        });
        var sweep = await SubmitSweep(cells: 2);

        var request = Guid.NewGuid();
        await Assert.ThrowsAsync<TimeoutException>(() => Scheduler.Lease(slot, request));
        var granted = Assert.IsType<CellLease>(lost);
        var retried = await Scheduler.Lease(slot, request);
        Assert.Equal(granted, retried);

        // The other cells go to another slot; no cell is stranded with a slot that never heard of it.
        var other = await LeaseFrom(sweep, LiveSlot(), Patience);
        Assert.NotNull(other);
        Assert.NotEqual(granted.Cell.CellId, other.Cell.CellId);
        await Scheduler.Release(granted, requeue: true);
    }

    [Fact]
    public async Task ACellRequeuedWhileTheSweepsTableStillSaysRunningIsLeasedAgain()
    {
        var a = LiveSlot();
        var sweep = await SubmitSweep();
        var lease = await LeaseFrom(sweep, a, Patience);
        Assert.NotNull(lease);
        Assert.True((await Cell(lease.Cell).BeginAttempt(lease.Cell, a, lease.Id)).Started);

        // The cell's "pending again" notice to its sweep is lost, so reconciliation reads a table that says it runs on a.
        Fault(new CallFaultRule
        {
            Method = nameof(ISweepGrain.CellChanged),
            Fault = CallFault.Drop,
            When = call => call.Request.GetArgument(0) is CellSummary s && s.CellId == lease.Cell.CellId && s.Status == CellStatus.Pending,
        });
        var ack = await Cell(lease.Cell).EndAttempt(1, AttemptEnd.Failed, "a failure worth a retry");
        Assert.True(ack.Requeue);
        await Scheduler.Release(lease, requeue: true);
        await Task.Delay(TimeSpan.FromSeconds(3));

        var again = await LeaseFrom(sweep, LiveSlot(), Patience);
        Assert.Equal(lease.Cell.CellId, again?.Cell.CellId);
    }

    [Fact]
    public async Task AnEndOfAttemptWhoseWriteFailedOnceIsRecordedWhenTheSlotRetries()
    {
        var slot = LiveSlot();
        var sweep = await SubmitSweep();
        var lease = await LeaseFrom(sweep, slot, Patience);
        Assert.NotNull(lease);
        using var stop = new CancellationTokenSource();
        var renewing = KeepRenewing(slot, lease, TimeSpan.FromMilliseconds(500), stop.Token);
        var cell = lease.Cell;
        var start = await Cell(cell).BeginAttempt(cell, slot, lease.Id);
        for (var e = 1; e <= cell.Spec.Epochs; e++) Assert.True((await Cell(cell).ReportEpoch(start.Attempt, Samples.Epoch(e, 0.7), null)).Accepted);

        var rule = FaultyGrainStorage.Add(new StorageFaultRule
        {
            When = (_, id, state) => id.ToString().Contains(cell.CellId, StringComparison.Ordinal) && state is CellGrainState { Status: CellStatus.Completed },
        });
        storageRules.Add(rule);
        await Assert.ThrowsAnyAsync<Exception>(() => Cell(cell).EndAttempt(start.Attempt, AttemptEnd.Completed, null));
        Assert.Equal(1, rule.Failed);

        var retried = await Cell(cell).EndAttempt(start.Attempt, AttemptEnd.Completed, null);
        Assert.True(retried.Accepted, retried.Reason);
        // A second retry (its reply lost, say) replays the end: still accepted, still counted once.
        Assert.True((await Cell(cell).EndAttempt(start.Attempt, AttemptEnd.Completed, null)).Accepted);
        await Scheduler.Release(lease, retried.Requeue);
        await stop.CancelAsync();
        await renewing;

        Assert.Equal(CellStatus.Completed, (await Cell(cell).GetSnapshot()).Status);
        var group = await cluster.Grains.GetGrain<IGroupGrain>(GroupKey.Of(sweep, cell.GroupId)).GetStatistics();
        Assert.Equal(1, group.Completed);
        Assert.Single(group.Cells);
        await WaitFor(async () => (await cluster.Grains.GetGrain<ISweepGrain>(sweep).GetStatus()).Finished);
    }

    [Fact]
    public async Task ACellWhoseSlotGoesQuietOnALiveSiloIsFencedAndLeasedAgain()
    {
        var quiet = LiveSlot();
        var sweep = await SubmitSweep();
        var lease = await LeaseFrom(sweep, quiet, Patience);
        Assert.NotNull(lease);
        var start = await Cell(lease.Cell).BeginAttempt(lease.Cell, quiet, lease.Id);
        Assert.True((await Cell(lease.Cell).ReportEpoch(start.Attempt, Samples.Epoch(1), null)).Accepted);

        // The slot gives up on the cell (its grain calls failed for good) and says nothing more; its silo stays alive.
        var again = await LeaseFrom(sweep, LiveSlot(), Patience);
        Assert.Equal(lease.Cell.CellId, again?.Cell.CellId);
        Assert.False((await Cell(lease.Cell).ReportEpoch(start.Attempt, Samples.Epoch(2), null)).Accepted);
        Assert.Contains(lease.Id, await Scheduler.Renew(quiet.Silo, [new HeldLease(lease.Id, sweep, lease.Cell.CellId, quiet)]));
    }

    [Fact]
    public async Task AnEpochReportedOutOfOrderSendsTheCellBackToTheQueue()
    {
        var slot = LiveSlot();
        var sweep = await SubmitSweep();
        var lease = await LeaseFrom(sweep, slot, Patience);
        Assert.NotNull(lease);
        var start = await Cell(lease.Cell).BeginAttempt(lease.Cell, slot, lease.Id);
        var refused = await Cell(lease.Cell).ReportEpoch(start.Attempt, Samples.Epoch(2), null);
        Assert.False(refused.Accepted);
        // What the slot does with a refused report: stop, and let go (queued again only when the cell says so).
        await Scheduler.Release(lease, refused.Requeue);

        var again = await LeaseFrom(sweep, LiveSlot(), Patience);
        Assert.Equal(lease.Cell.CellId, again?.Cell.CellId);
        Assert.True((await Cell(again!.Cell).BeginAttempt(again.Cell, again.Slot, again.Id)).Started);
        await Scheduler.Release(again, requeue: false);
    }

    [Fact]
    public async Task ACellThatLosesItsSlotAgainAndAgainEndsFailedWithTheReason()
    {
        var (id, sweep) = (Samples.Name("poison"), Samples.Name("sweep"));
        var assignment = Samples.Assignment(sweep, id);
        var cell = Cell(assignment);
        for (var loss = 1; loss <= 3; loss++)
        {
            var slot = Samples.Slot($"silo-{loss}");
            Assert.True((await cell.BeginAttempt(assignment, slot)).Started);
            await cell.SlotLost(slot, "its silo is no longer an active cluster member");
        }
        var snapshot = await cell.GetSnapshot();
        Assert.Equal(CellStatus.Failed, snapshot.Status);
        Assert.Contains("3 times", snapshot.Error, StringComparison.Ordinal);
        Assert.False((await cell.BeginAttempt(assignment, Samples.Slot("silo-4"))).Started);
        var group = await cluster.Grains.GetGrain<IGroupGrain>(GroupKey.Of(sweep, assignment.GroupId)).GetStatistics();
        Assert.Equal(1, group.Failed);
    }

    [Fact]
    public async Task TwoSweepsWithTheSameCellRunItAtTheSameTime()
    {
        string first = Samples.Name("twin"), second = Samples.Name("twin");
        const string id = "0123456789abcdef";
        await Scheduler.Enqueue(first, [Samples.Assignment(first, id)]);
        await Scheduler.Enqueue(second, [Samples.Assignment(second, id)]);

        var a = await LeaseFrom(first, LiveSlot(), Patience);
        var b = await LeaseFrom(second, LiveSlot(), Patience);
        Assert.Equal(id, a?.Cell.CellId);
        Assert.Equal(id, b?.Cell.CellId);
        await Scheduler.RemoveSweep(first);
        await Scheduler.RemoveSweep(second);
    }

    private static async Task WaitFor(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(100);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>The scheduler is shared with other tests: leave none of this test's cells in its queue.</summary>
    public async Task DisposeAsync()
    {
        foreach (var rule in callRules) CallFaults.Remove(rule);
        foreach (var rule in storageRules) FaultyGrainStorage.Remove(rule);
        foreach (var sweep in submitted) await Scheduler.RemoveSweep(sweep);
    }
}
