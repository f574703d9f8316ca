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
        while (await Scheduler.Lease(slot, Guid.NewGuid()) is { } stray) await Scheduler.Release(stray, false);
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
            var cell = await Scheduler.Lease(slot, Guid.NewGuid());
            Assert.NotNull(cell);
            order.Add(cell.Cell.SweepName);
            await Scheduler.Release(cell, false);
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
        var first = await Scheduler.Lease(slot, Guid.NewGuid());
        await Scheduler.Enqueue(sweep, [first!.Cell]);
        var second = await Scheduler.Lease(slot, Guid.NewGuid());
        Assert.NotEqual(first.Cell.CellId, second!.Cell.CellId);
        Assert.Null(await Scheduler.Lease(slot, Guid.NewGuid()));

        await Scheduler.Release(first, true);
        Assert.Equal(first.Cell.CellId, (await Scheduler.Lease(slot, Guid.NewGuid()))!.Cell.CellId);
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

        var ahead = await Scheduler.LeaseAhead(busy, Guid.NewGuid());
        Assert.NotNull(ahead);
        Assert.Null(await Scheduler.LeaseAhead(busy, Guid.NewGuid()));
        // Lending ahead stopped while cells remain: an idle slot's plain lease still gets one.
        var next = await Scheduler.Lease(idle, Guid.NewGuid());
        Assert.NotNull(next);
        Assert.NotEqual(ahead.Cell.CellId, next.Cell.CellId);

        await Scheduler.Release(ahead, true);
        var again = await Scheduler.Lease(idle, Guid.NewGuid());
        Assert.Equal(ahead.Cell.CellId, again!.Cell.CellId);
        await Scheduler.Release(again, false);
        await Scheduler.Release(next, false);
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
        // Cells left by earlier tests may still be queued: let go of them until this sweep's cell comes.
        var leased = await Scheduler.Lease(deadSlot, Guid.NewGuid());
        while (leased is not null && leased.Cell.SweepName != sweep)
        {
            await Scheduler.Release(leased, requeue: false);
            leased = await Scheduler.Lease(deadSlot, Guid.NewGuid());
        }
        Assert.Equal(assignment.CellId, leased!.Cell.CellId);
        // Keep the cell grain itself on the surviving primary silo: this test is about the lease.
        RequestContext.Set(SlotMetadata.TargetSilo, cluster.Cluster.Silos[0].SiloAddress.ToParsableString());
        var started = await cluster.Grains.GetGrain<ICellGrain>(CellKey.Of(sweep, assignment.CellId)).BeginAttempt(assignment, deadSlot);
        RequestContext.Remove(SlotMetadata.TargetSilo);
        Assert.True(started.Started);

        await cluster.Cluster.KillSiloAsync(silo);
        CellLease? again = null;
        for (var i = 0; i < 150 && again?.Cell.SweepName != sweep; i++)
        {
            if (again is not null) await Scheduler.Release(again, requeue: false);
            await Task.Delay(200);
            again = await Scheduler.Lease(liveSlot, Guid.NewGuid());
        }
        Assert.NotNull(again);
        Assert.Equal(assignment.CellId, again.Cell.CellId);
        var resumed = await cluster.Grains.GetGrain<ICellGrain>(CellKey.Of(sweep, assignment.CellId)).BeginAttempt(again.Cell, liveSlot);
        Assert.True(resumed.Started);
        Assert.Equal(started.Attempt + 1, resumed.Attempt);
        await Scheduler.RemoveSweep(sweep);
    }
}
