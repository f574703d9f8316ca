using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Placement;
using CoS.Distributed.Grains.Interfaces.Scheduling;

namespace CoS.Distributed.Grains.Tests.Scheduling;

[Collection(GrainClusterTests.Name)]
public class SchedulerGrainTests(GrainCluster cluster)
{
    private static int slots;

    private ISchedulerGrain Scheduler => cluster.Grains.GetGrain<ISchedulerGrain>(0);

    /// <summary>A slot on a live silo, so the scheduler's lease watch never takes its leases back mid-test.</summary>
    private SlotAddress LiveSlot() => new(cluster.Cluster.Silos[0].SiloAddress.ToParsableString(), 1000 + Interlocked.Increment(ref slots), "cpu");

    private async Task Drain(SlotAddress slot)
    {
        while (await Scheduler.Lease(slot) is { } stray) await Scheduler.Release(stray.CellId, slot, false);
    }

    [Fact]
    public async Task TwoSweepsTakeTurnsForSlots()
    {
        var slot = LiveSlot();
        await Drain(slot);
        string a = Samples.Name("sweep-a"), b = Samples.Name("sweep-b");
        await Scheduler.Enqueue(a, [.. Enumerable.Range(0, 4).Select(i => Samples.Assignment(a, $"{a}-{i}"))]);
        await Scheduler.Enqueue(b, [.. Enumerable.Range(0, 4).Select(i => Samples.Assignment(b, $"{b}-{i}"))]);

        var order = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var cell = await Scheduler.Lease(slot);
            Assert.NotNull(cell);
            order.Add(cell.SweepName);
            await Scheduler.Release(cell.CellId, slot, requeue: false);
        }
        Assert.Equal(4, order.Count(s => s == a));
        Assert.Equal(4, order.Count(s => s == b));
        Assert.All(order.Zip(order.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
        await Scheduler.RemoveSweep(a);
        await Scheduler.RemoveSweep(b);
    }

    [Fact]
    public async Task ACellHandedBackIsLeasedAgainFirstAndNeverTwiceAtOnce()
    {
        var slot = LiveSlot();
        await Drain(slot);
        var sweep = Samples.Name("sweep");
        await Scheduler.Enqueue(sweep, [Samples.Assignment(sweep, $"{sweep}-0"), Samples.Assignment(sweep, $"{sweep}-1")]);
        var first = await Scheduler.Lease(slot);
        await Scheduler.Enqueue(sweep, [first!]);
        var second = await Scheduler.Lease(slot);
        Assert.NotEqual(first!.CellId, second!.CellId);
        Assert.Null(await Scheduler.Lease(slot));

        await Scheduler.Release(first.CellId, slot, requeue: true);
        Assert.Equal(first.CellId, (await Scheduler.Lease(slot))!.CellId);
        await Scheduler.RemoveSweep(sweep);
    }

    [Fact]
    public async Task CellsAreLentAheadOnlyWhileMoreAreQueuedThanLeased()
    {
        var busy = LiveSlot();
        var idle = LiveSlot();
        await Drain(busy);
        var held = (await Scheduler.GetStatus()).Leased;
        var sweep = Samples.Name("sweep");
        await Scheduler.Enqueue(sweep, [.. Enumerable.Range(0, held + 2).Select(i => Samples.Assignment(sweep, $"{sweep}-{i}"))]);

        var ahead = await Scheduler.LeaseAhead(busy);
        Assert.NotNull(ahead);
        Assert.Null(await Scheduler.LeaseAhead(busy));
        // Lending ahead stopped while cells remain: an idle slot's plain lease still gets one.
        var next = await Scheduler.Lease(idle);
        Assert.NotNull(next);
        Assert.NotEqual(ahead.CellId, next.CellId);

        await Scheduler.Release(ahead.CellId, busy, requeue: true);
        Assert.Equal(ahead.CellId, (await Scheduler.Lease(idle))!.CellId);
        await Scheduler.Release(ahead.CellId, idle, requeue: false);
        await Scheduler.Release(next.CellId, idle, requeue: false);
        await Scheduler.RemoveSweep(sweep);
    }

    [Fact]
    public async Task ALeaseHeldByASiloThatDiesIsTakenBackAndQueuedAgain()
    {
        var silo = cluster.Cluster.StartAdditionalSilo();
        var deadSlot = new SlotAddress(silo.SiloAddress.ToParsableString(), 0, "cpu");
        var liveSlot = LiveSlot();
        await Drain(liveSlot);
        var sweep = Samples.Name("sweep");
        var assignment = Samples.Assignment(sweep, Samples.Name("cell"));
        await Scheduler.Enqueue(sweep, [assignment]);
        var leased = await Scheduler.Lease(deadSlot);
        Assert.Equal(assignment.CellId, leased!.CellId);
        // Keep the cell grain itself on the surviving primary silo: this test is about the lease.
        RequestContext.Set(SlotMetadata.TargetSilo, cluster.Cluster.Silos[0].SiloAddress.ToParsableString());
        var started = await cluster.Grains.GetGrain<ICellGrain>(CellKey.Of(sweep, assignment.CellId)).BeginAttempt(assignment, deadSlot);
        RequestContext.Remove(SlotMetadata.TargetSilo);
        Assert.True(started.Started);

        await cluster.Cluster.KillSiloAsync(silo);
        CellAssignment? again = null;
        for (var i = 0; i < 150 && again is null; i++)
        {
            await Task.Delay(200);
            again = await Scheduler.Lease(liveSlot);
        }
        Assert.NotNull(again);
        Assert.Equal(assignment.CellId, again.CellId);
        var resumed = await cluster.Grains.GetGrain<ICellGrain>(CellKey.Of(sweep, assignment.CellId)).BeginAttempt(again, liveSlot);
        Assert.True(resumed.Started);
        Assert.Equal(started.Attempt + 1, resumed.Attempt);
        await Scheduler.RemoveSweep(sweep);
    }
}
