using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Groups;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Grains.Groups;
using CoS.Distributed.Grains.Placement;
using CoS.Distributed.Grains.Telemetry;
using System.Diagnostics;
using CoS.Distributed.Grains.Interfaces.Telemetry;
using Microsoft.Extensions.Logging;

namespace CoS.Distributed.Grains.Cells;

/// <summary>
/// The authority for one cell. Placed on the silo whose slot trains it. Every attempt is fenced by its number:
/// a report from any attempt but the current running one is refused, so a worker on a silo declared dead cannot
/// change anything. Every change is written first and becomes the grain's state only when the write succeeded (a
/// failed write deactivates the grain, which reads storage again); every call a slot retries is idempotent.
/// </summary>
[SlotPlacement]
public sealed partial class CellGrain(
    [PersistentState("cell", CosGrainStorage.Name)] IPersistentState<CellGrainState> state,
    ILogger<CellGrain> logger) : Grain, ICellGrain
{
    // What storage holds: the state every call reads. A change is made to a copy, which replaces it once written.
    private CellGrainState S => state.State;

    private string CellId => CellKey.CellIdOf(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A silo can die between persisting a final result and handing it to the group: finish that here.
        await EnsureRecorded();
    }

    public async Task<AttemptStart> BeginAttempt(CellAssignment assignment, SlotAddress slot, Guid leaseId, string? trace = null)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(slot);
        if (S.Status == CellStatus.Running && S.Slot == slot && S.LeaseId == leaseId)
            return new AttemptStart(true, S.Attempt, S.Epochs.Count, S.Checkpoint, null, S.PreviousAttemptTrace);
        var refusal = IsFinal(S.Status) ? $"cell is already {S.Status}"
            : S.CancelRequested ? "the sweep was cancelled"
            : S.Status == CellStatus.Running && S.Slot is { } current && current != slot ? $"attempt {S.Attempt} is running on {current}"
            : null;
        if (refusal is not null)
        {
            // The scheduler thought the cell needed a slot: its sweep's table may be stale, so tell it again.
            await NotifySweep();
            return new AttemptStart(false, S.Attempt, S.Epochs.Count, S.Checkpoint, refusal);
        }

        await Commit(s =>
        {
            s.Assignment = assignment;
            s.Attempt++;
            s.Status = CellStatus.Running;
            s.Slot = slot;
            s.LeaseId = leaseId;
            s.PreviousAttemptTrace = s.AttemptTrace;
            s.AttemptTrace = trace;
        });
        LogAttemptStarted(logger, CellId, S.Attempt, slot, S.Epochs.Count);
        await NotifySweep();
        return new AttemptStart(true, S.Attempt, S.Epochs.Count, S.Checkpoint, null, S.PreviousAttemptTrace);
    }

    public async Task<ReportAck> ReportEpoch(int attempt, EpochReport epoch, CheckpointPointer? checkpoint)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        if (Fenced(attempt) is { } refusal) return refusal;
        if (epoch.Epoch > S.Epochs.Count + 1)
        {
            // An epoch went missing between this attempt and the cell: the attempt cannot be trusted, but the cell must
            // not stay running on a slot that stops; it fails this attempt and is queued again (within MaxAttempts).
            var ack = await End(attempt, AttemptEnd.Failed, $"epoch {epoch.Epoch} reported after epoch {S.Epochs.Count}: epochs must arrive in order");
            return ack with { Accepted = false };
        }
        // A resumed attempt may repeat epochs already recorded (it fell back to an older checkpoint), and a retried
        // report repeats its epoch; training is deterministic, so the recorded metrics stand.
        var added = epoch.Epoch == S.Epochs.Count + 1;
        var acknowledged = checkpoint is not null && checkpoint.Epoch <= epoch.Epoch && (S.Checkpoint is null || checkpoint.Epoch >= S.Checkpoint.Epoch);
        if (added || (acknowledged && checkpoint != S.Checkpoint))
        {
            await Commit(s =>
            {
                if (added) s.Epochs.Add(epoch);
                if (acknowledged) s.Checkpoint = checkpoint;
            });
            await NotifySweep();
        }
        return new ReportAck(true, null, S.CancelRequested);
    }

    public async Task<ReportAck> EndAttempt(int attempt, AttemptEnd end, string? error)
    {
        if (S.LastEnd is { } last && last.Attempt == attempt && S.Attempt == attempt)
        {
            // A retry of an end already written: its side effects may not all have happened, so do them again.
            await EnsureRecorded();
            await NotifySweep();
            return Answer(last.Requeue);
        }
        if (Fenced(attempt) is { } refusal) return refusal;
        return await End(attempt, end, error);
    }

    public async Task<bool> SlotLost(SlotAddress slot, string reason)
    {
        if (S.Status == CellStatus.Pending) return !S.CancelRequested;
        if (S.Status != CellStatus.Running || S.Slot != slot)
        {
            // Nothing of this slot's runs here; the scheduler's picture came from a stale table, so send it the truth.
            await NotifySweep();
            return false;
        }
        var losses = S.SlotLosses + 1;
        var budget = S.Assignment?.MaxSlotLosses ?? CellAssignment.DefaultMaxSlotLosses;
        await Commit(s =>
        {
            s.SlotLosses = losses;
            s.Slot = null;
            s.LeaseId = null;
            if (s.CancelRequested) s.Status = CellStatus.Cancelled;
            else if (losses >= budget)
            {
                s.Status = CellStatus.Failed;
                s.Error = $"the cell lost its slot {losses} times (the silo running it died, or stopped renewing its lease), " +
                    $"the most max_slot_losses allows; last: {reason}. A cell that crashes its process ends here: check its configuration (size, formula) and the silo logs.";
                s.Recorded = false;
            }
            else s.Status = CellStatus.Pending;
        });
        LogSlotLost(logger, CellId, S.Attempt, slot, reason, losses, budget);
        GrainMetrics.AttemptsFenced.Add(1, new KeyValuePair<string, object?>(CosTags.Sweep, S.Assignment?.SweepName));
        await EnsureRecorded();
        await NotifySweep();
        return S.Status == CellStatus.Pending;
    }

    public async Task Cancel()
    {
        if (IsFinal(S.Status) || S.CancelRequested) return;
        await Commit(s =>
        {
            s.CancelRequested = true;
            if (s.Status == CellStatus.Pending) s.Status = CellStatus.Cancelled;
        });
        await NotifySweep();
    }

    public async Task<bool> Resume()
    {
        if (!S.CancelRequested) return false;
        await Commit(s =>
        {
            s.CancelRequested = false;
            if (s.Status == CellStatus.Cancelled) s.Status = CellStatus.Pending;
        });
        await NotifySweep();
        return S.Status == CellStatus.Pending;
    }

    public Task<CellSnapshot> GetSnapshot() => Task.FromResult(new CellSnapshot
    {
        CellId = CellId,
        SweepName = S.Assignment?.SweepName,
        Spec = S.Assignment?.Spec,
        Status = S.Status,
        Attempt = S.Attempt,
        CompletedEpochs = S.Epochs.Count,
        Epochs = [.. S.Epochs],
        Checkpoint = S.Checkpoint,
        Error = S.Error,
        Slot = S.Slot,
        Version = S.Version,
    });

    /// <summary>Ends the current (running) attempt: writes how it ended, then has its group count a final result.</summary>
    private async Task<ReportAck> End(int attempt, AttemptEnd end, string? error)
    {
        var maxAttempts = S.Assignment?.MaxAttempts ?? 1;
        await Commit(s =>
        {
            switch (end)
            {
                case AttemptEnd.Completed:
                    s.Status = CellStatus.Completed;
                    break;
                case AttemptEnd.Diverged:
                    s.Status = CellStatus.Diverged;
                    s.Error = error;
                    break;
                case AttemptEnd.Cancelled:
                    s.Status = CellStatus.Cancelled;
                    break;
                case AttemptEnd.HandedBack:
                    s.Status = s.CancelRequested ? CellStatus.Cancelled : CellStatus.Pending;
                    break;
                case AttemptEnd.Failed:
                    s.Failures++;
                    s.Error = $"attempt {attempt}: {error}";
                    s.Status = s.CancelRequested ? CellStatus.Cancelled : s.Failures >= maxAttempts ? CellStatus.Failed : CellStatus.Pending;
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(end), end, "unknown attempt end");
            }
            s.Slot = null;
            s.LeaseId = null;
            s.Recorded = false;
            s.LastEnd = new AttemptEnding(attempt, end, s.Status == CellStatus.Pending);
        });
        if (end == AttemptEnd.Failed) LogAttemptFailed(logger, CellId, attempt, S.Failures, maxAttempts, error);
        await EnsureRecorded();
        await NotifySweep();
        return Answer(S.LastEnd!.Requeue);
    }

    private ReportAck Answer(bool requeue) => new(true, requeue ? "the cell is pending again" : null, S.CancelRequested, requeue);

    private ReportAck? Fenced(int attempt)
    {
        var refusal = Refusal(attempt);
        if (refusal is not null)
        {
            Activity.Current?.AddEvent(new ActivityEvent("attempt fenced", tags: new ActivityTagsCollection { [CosTags.Attempt] = attempt, ["cos.reason"] = refusal.Reason }));
        }
        return refusal;
    }

    private ReportAck? Refusal(int attempt)
    {
        if (attempt != S.Attempt) return new ReportAck(false, $"attempt {attempt} is stale: the cell is at attempt {S.Attempt}");
        if (S.Status != CellStatus.Running) return new ReportAck(false, $"attempt {attempt} is no longer running: the cell is {S.Status}");
        return null;
    }

    private static bool IsFinal(CellStatus status) =>
        status is CellStatus.Completed or CellStatus.Diverged or CellStatus.Failed or CellStatus.Cancelled;

    /// <summary>
    /// Writes a changed copy of the state; only then is it the grain's state. When the write fails, what storage holds
    /// is unknown (the write may have landed and only its reply been lost), so the grain deactivates and the next call
    /// reads storage again.
    /// </summary>
    private async Task Commit(Action<CellGrainState> change)
    {
        var committed = state.State;
        var next = committed.Copy();
        change(next);
        next.Version++;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = committed;
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task EnsureRecorded()
    {
        if (S.Recorded || S.Assignment is not { } a) return;
        var end = S.Status switch
        {
            CellStatus.Completed => AttemptEnd.Completed,
            CellStatus.Diverged => AttemptEnd.Diverged,
            CellStatus.Failed => AttemptEnd.Failed,
            _ => (AttemptEnd?)null,
        };
        if (end is null) return;
        var group = GrainFactory.GetGrain<IGroupGrain>(GroupKey.Of(a.SweepName, a.GroupId));
        await group.Record(a.Spec with { Seed = 0 }, new CellResult(CellId, a.Spec.Seed, end.Value, S.Epochs.ToArray(), S.Error));
        await Commit(s => s.Recorded = true);
    }

    private Task NotifySweep()
    {
        if (S.Assignment is not { } a) return Task.CompletedTask;
        var last = S.Epochs.Count == 0 ? null : S.Epochs[^1];
        return GrainFactory.GetGrain<ISweepGrain>(a.SweepName).CellChanged(
            new CellSummary(a.CellId, a.GroupId, S.Status, S.Attempt, S.Epochs.Count, a.Spec.Epochs, S.Slot, S.Error, last, S.Version));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cell {CellId}: attempt {Attempt} started on {Slot} after {Epochs} epochs")]
    private static partial void LogAttemptStarted(ILogger logger, string cellId, int attempt, SlotAddress slot, int epochs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cell {CellId}: attempt {Attempt} failed ({Failures} of {MaxAttempts} allowed): {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, string cellId, int attempt, int failures, int maxAttempts, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cell {CellId}: attempt {Attempt} fenced, its slot {Slot} is gone ({Reason}); slot lost {Losses} of {Budget} allowed")]
    private static partial void LogSlotLost(ILogger logger, string cellId, int attempt, SlotAddress slot, string reason, int losses, int budget);
}
