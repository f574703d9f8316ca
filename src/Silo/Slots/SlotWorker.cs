using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Scheduling;
using CoS.Distributed.Grains.Placement;
using System.Diagnostics;
using CoS.Distributed.Security.Secrets;
using CoS.Distributed.Silo.Cells;
using CoS.Distributed.Silo.Telemetry;
using Microsoft.Extensions.Logging;

namespace CoS.Distributed.Silo.Slots;

/// <summary>
/// One slot's loop, on its own thread (never the Orleans scheduler): lease a cell, start an attempt, train it,
/// report, release, and ask again. Every lease the slot holds is renewed by the silo's heartbeat
/// (<see cref="HeldLeases"/>) until the slot lets go; a slot that gives up on a cell simply stops renewing it, and the
/// scheduler takes it back when the lease lapses. Between two cells the slot waits for as little as it can: the next
/// cell is leased during the current one's last epoch, and the end of one attempt is reported while the slot already
/// trains the next.
/// </summary>
internal sealed partial class SlotWorker(
    SlotAddress slot,
    IGrainFactory grains,
    ICellTrainer trainer,
    HeldLeases held,
    SlotOptions options,
    ILogger logger)
{
    private readonly ISchedulerGrain scheduler = grains.GetGrain<ISchedulerGrain>(0);

    // Ends of attempts a slot may have in flight while it trains its next cell: two ride out one slow end (a busy
    // group grain) without the slot waiting, and the bound keeps ends from piling up behind a slow grain.
    private const int MaxEndingsInFlight = 2;

    // The next cell, leased (and its grain activated here) while the current cell trains its last epoch.
    private Task<CellLease?>? ahead;

    // Finished cells' end-of-attempt reports and releases, still in flight while the slot trains its next cell.
    private readonly Queue<Task> endings = new();

    // When the slot asked for the cell it is about to run: the start of the attempt's span.
    private DateTimeOffset leasing = DateTimeOffset.UtcNow;

    public SlotAddress Slot => slot;

    public void Run(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var lease = TakeAhead();
                if (lease is not null) leasing = DateTimeOffset.UtcNow;
                if (lease is null)
                {
                    try
                    {
                        var request = Guid.NewGuid();
                        leasing = DateTimeOffset.UtcNow;
                        lease = SlotCalls.Call(() => scheduler.Lease(slot, request), stopping);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        if (stopping.IsCancellationRequested) return;
                        LogSchedulerUnreachable(logger, slot, e.Message);
                        stopping.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
                        continue;
                    }
                }
                if (lease is null)
                {
                    stopping.WaitHandle.WaitOne(options.IdlePoll);
                    continue;
                }
                RunCell(held.Hold(lease), stopping);
            }
        }
        finally
        {
            // A cell leased ahead goes back to the front of the queue; a handed-back cell is reported before the silo stops.
            if (TakeAhead() is { } unstarted) Finish(() => ReleaseAsync(unstarted, requeue: true));
            while (endings.TryDequeue(out var ending)) ending.GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Starts and trains one cell, then sets off its end-of-attempt report and release without waiting for them: the
    /// slot is free once training stops, so it starts its next cell (leased ahead during this one's last epoch) while
    /// the cell grain records the end and its group counts the result.
    /// </summary>
    private void RunCell(HeldLeases.Held lease, CancellationToken stopping)
    {
        try
        {
            RunAttempt(lease, stopping);
        }
        finally
        {
            // The attempt's span ends with its end report, wherever that runs; the slot's next calls belong to no attempt.
            Activity.Current = null;
        }
    }

    private void RunAttempt(HeldLeases.Held lease, CancellationToken stopping)
    {
        var assignment = lease.Lease.Cell;
        var cell = grains.GetGrain<ICellGrain>(CellKey.Of(assignment.SweepName, assignment.CellId));
        var lastEpoch = assignment.Spec.Epochs;
        AttemptStart start;
        AttemptResult result;
        if (lease.IsRevoked)
        {
            // Taken back before it started (a lease lent ahead that a restarted scheduler never knew): queue it again.
            Finish(() => ReleaseAsync(lease.Lease, requeue: true));
            return;
        }
        using var attemptStops = CancellationTokenSource.CreateLinkedTokenSource(stopping, lease.Revoked);
        var span = AttemptSpan.Start(lease.Lease, leasing);
        SlotMetrics.Started(slot);
        try
        {
            // The cell grain is placed beside this slot (SlotPlacementDirector reads the hint).
            RequestContext.Set(SlotMetadata.TargetSilo, slot.Silo);
            try
            {
                start = SlotCalls.Call(() => cell.BeginAttempt(assignment, slot, lease.Lease.Id, span?.Id), CancellationToken.None);
            }
            finally
            {
                RequestContext.Remove(SlotMetadata.TargetSilo);
            }
            AttemptSpan.Began(span, start);
            if (!start.Started)
            {
                LogNotStarted(logger, assignment.CellId, slot, start.Reason ?? "");
                SlotMetrics.Stopped(slot);
                Finish(() => ReleaseAsync(lease.Lease, requeue: false, span));
                return;
            }
            if (start.CompletedEpochs + 1 >= lastEpoch) LeaseAhead();

            var context = new AttemptContext(assignment, start, slot, (epoch, checkpoint) =>
            {
                var ack = SlotCalls.Call(() => cell.ReportEpoch(start.Attempt, epoch, checkpoint), CancellationToken.None);
                if (ack.Accepted) SlotMetrics.EpochAccepted(slot, assignment, epoch);
                if (ack.Accepted && epoch.Epoch + 1 == lastEpoch) LeaseAhead();
                return ack;
            });
            result = Train(context, lease, stopping, attemptStops.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A grain call failed for good (cluster unreachable, storage refusing): the slot stops renewing the lease,
            // and when it lapses the scheduler fences this attempt and queues the cell again. The slot lives on.
            LogCellAbandoned(logger, assignment.CellId, slot, e.Message);
            SlotMetrics.Stopped(slot);
            AttemptSpan.Abandoned(span, e);
            span?.Stop();
            held.Drop(lease.Lease);
            return;
        }
        SlotMetrics.Stopped(slot);
        LogAttemptEnded(logger, assignment.CellId, start.Attempt, slot, result.Outcome, result.Detail ?? "");
        AttemptSpan.Ended(span, result.Outcome, result.Detail);
        if (result.Outcome == AttemptOutcome.Fenced)
        {
            Finish(() => ReleaseAsync(lease.Lease, requeue: false, span));
            return;
        }
        var end = result.Outcome switch
        {
            AttemptOutcome.Completed => AttemptEnd.Completed,
            AttemptOutcome.Diverged => AttemptEnd.Diverged,
            AttemptOutcome.Cancelled => AttemptEnd.Cancelled,
            AttemptOutcome.HandedBack => AttemptEnd.HandedBack,
            _ => AttemptEnd.Failed,
        };
        // A failure's message is kept in grain state and shown to users: no secret from an exception may reach it.
        Finish(() => EndAsync(cell, lease.Lease, start.Attempt, end, SecretRedactor.Redact(result.Detail), span));
    }

    /// <summary>
    /// Trains the attempt. Stopping for a drain (the silo shutting down) or because the lease was revoked is a hand-back,
    /// never a failure — even when it interrupts checkpoint I/O and surfaces as a cancellation exception.
    /// </summary>
    private AttemptResult Train(AttemptContext context, HeldLeases.Held lease, CancellationToken stopping, CancellationToken attemptStops)
    {
        try
        {
            return trainer.Train(context, attemptStops);
        }
        catch (Exception e) when (e is not OutOfMemoryException && attemptStops.IsCancellationRequested)
        {
            return new AttemptResult(AttemptOutcome.HandedBack, Stopped(lease, stopping));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new AttemptResult(AttemptOutcome.Failed, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static string Stopped(HeldLeases.Held lease, CancellationToken stopping) =>
        stopping.IsCancellationRequested ? "the silo is stopping" : lease.IsRevoked ? "the slot's lease was taken back" : "stopped";

    private void LeaseAhead()
    {
        if (ahead is not null) return;
        var request = Guid.NewGuid();
        ahead = LeaseAheadAsync(request);
    }

    /// <summary>The cell leased ahead, if any (waiting for the lease when it is still on its way).</summary>
    private CellLease? TakeAhead()
    {
        if (ahead is not { } next) return null;
        ahead = null;
        return next.GetAwaiter().GetResult();
    }

    private async Task<CellLease?> LeaseAheadAsync(Guid request)
    {
        CellLease? next;
        try
        {
            next = await SlotCalls.CallAsync(() => scheduler.LeaseAhead(slot, request));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogSchedulerUnreachable(logger, slot, e.Message);
            return null;
        }
        if (next is null) return null;
        held.Hold(next);
        try
        {
            // Activate the cell grain here now (directory registration, state read), so starting it is one local call.
            RequestContext.Set(SlotMetadata.TargetSilo, slot.Silo);
            await grains.GetGrain<ICellGrain>(CellKey.Of(next.Cell.SweepName, next.Cell.CellId)).GetSnapshot();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only a head start was lost: BeginAttempt activates the grain itself.
        }
        finally
        {
            RequestContext.Remove(SlotMetadata.TargetSilo);
        }
        return next;
    }

    /// <summary>Sets off a cell's end, first waiting (on the slot thread) while the most ends allowed are in flight.</summary>
    private void Finish(Func<Task> ending)
    {
        while (endings.TryPeek(out var oldest) && (oldest.IsCompleted || endings.Count >= MaxEndingsInFlight))
            endings.Dequeue().GetAwaiter().GetResult();
        endings.Enqueue(ending());
    }

    private async Task EndAsync(ICellGrain cell, CellLease lease, int attempt, AttemptEnd end, string? detail, Activity? span)
    {
        ReportAck ack;
        try
        {
            ack = await SlotCalls.CallAsync(() => cell.EndAttempt(attempt, end, detail));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The end is not recorded: let the lease lapse, so the scheduler fences the attempt and the cell runs again
            // from its acknowledged checkpoint (a completed cell's last checkpoint is its last epoch: nothing is retrained).
            LogCellAbandoned(logger, lease.Cell.CellId, slot, e.Message);
            AttemptSpan.Abandoned(span, e);
            span?.Stop();
            held.Drop(lease);
            return;
        }
        // An end refused means the attempt was fenced meanwhile (its lease lapsed): its span says so, whatever training did.
        if (!ack.Accepted) AttemptSpan.Ended(span, AttemptOutcome.Fenced, ack.Reason);
        await ReleaseAsync(lease, ack.Requeue, span);
    }

    /// <summary>Lets go of a lease (queueing its cell again when asked), then ends the attempt's span, if any.</summary>
    private async Task ReleaseAsync(CellLease lease, bool requeue, Activity? span = null)
    {
        try
        {
            await SlotCalls.CallAsync(() => scheduler.Release(lease, requeue));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogSchedulerUnreachable(logger, slot, e.Message);
        }
        held.Drop(lease);
        span?.Stop();
    }
}
