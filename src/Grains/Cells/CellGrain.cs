using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Groups;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Grains.Groups;
using CoS.Distributed.Grains.Placement;
using Microsoft.Extensions.Logging;

namespace CoS.Distributed.Grains.Cells;

/// <summary>
/// The authority for one cell. Placed on the silo whose slot trains it. Every attempt is fenced by its number:
/// a report from any attempt but the current running one is refused, so a worker on a silo declared dead cannot
/// change anything. State is persisted before each state-changing call returns.
/// </summary>
[SlotPlacement]
public sealed partial class CellGrain(
    [PersistentState("cell", CosGrainStorage.Name)] IPersistentState<CellGrainState> state,
    ILogger<CellGrain> logger) : Grain, ICellGrain
{
    private CellGrainState S => state.State;

    private string CellId => CellKey.CellIdOf(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A silo can die between persisting a final result and handing it to the group: finish that here.
        await EnsureRecorded();
    }

    public async Task<AttemptStart> BeginAttempt(CellAssignment assignment, SlotAddress slot)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        if (IsFinal(S.Status)) return new AttemptStart(false, S.Attempt, S.Epochs.Count, S.Checkpoint, $"cell is already {S.Status}");
        if (S.CancelRequested) return new AttemptStart(false, S.Attempt, S.Epochs.Count, S.Checkpoint, "the sweep was cancelled");
        if (S.Status == CellStatus.Running && S.Slot is { } current && current != slot)
            return new AttemptStart(false, S.Attempt, S.Epochs.Count, S.Checkpoint, $"attempt {S.Attempt} is running on {current}");

        S.Assignment = assignment;
        S.Attempt++;
        S.Status = CellStatus.Running;
        S.Slot = slot;
        S.Version++;
        await state.WriteStateAsync();
        LogAttemptStarted(logger, CellId, S.Attempt, slot, S.Epochs.Count);
        await NotifySweep();
        return new AttemptStart(true, S.Attempt, S.Epochs.Count, S.Checkpoint, null);
    }

    public async Task<ReportAck> ReportEpoch(int attempt, EpochReport epoch, CheckpointPointer? checkpoint)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        if (Fenced(attempt) is { } refusal) return refusal;
        if (epoch.Epoch > S.Epochs.Count + 1)
            return new ReportAck(false, $"epoch {epoch.Epoch} reported after epoch {S.Epochs.Count}: epochs must arrive in order");
        // A resumed attempt may repeat epochs already recorded (it fell back to an older checkpoint); training is
        // deterministic, so the recorded metrics stand.
        if (epoch.Epoch == S.Epochs.Count + 1) S.Epochs.Add(epoch);
        if (checkpoint is not null && (S.Checkpoint is null || checkpoint.Epoch >= S.Checkpoint.Epoch)) S.Checkpoint = checkpoint;
        S.Version++;
        await state.WriteStateAsync();
        await NotifySweep();
        return new ReportAck(true, null, S.CancelRequested);
    }

    public async Task<ReportAck> EndAttempt(int attempt, AttemptEnd end, string? error)
    {
        if (Fenced(attempt) is { } refusal) return refusal;
        var requeue = false;
        switch (end)
        {
            case AttemptEnd.Completed:
                S.Status = CellStatus.Completed;
                break;
            case AttemptEnd.Diverged:
                S.Status = CellStatus.Diverged;
                S.Error = error;
                break;
            case AttemptEnd.Cancelled:
                S.Status = CellStatus.Cancelled;
                break;
            case AttemptEnd.HandedBack:
                S.Status = S.CancelRequested ? CellStatus.Cancelled : CellStatus.Pending;
                requeue = S.Status == CellStatus.Pending;
                break;
            case AttemptEnd.Failed:
                S.Failures++;
                S.Error = $"attempt {attempt}: {error}";
                var maxAttempts = S.Assignment?.MaxAttempts ?? 1;
                S.Status = S.CancelRequested ? CellStatus.Cancelled : S.Failures >= maxAttempts ? CellStatus.Failed : CellStatus.Pending;
                requeue = S.Status == CellStatus.Pending;
                LogAttemptFailed(logger, CellId, attempt, S.Failures, maxAttempts, error);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(end), end, "unknown attempt end");
        }
        S.Slot = null;
        S.Recorded = false;
        S.Version++;
        await state.WriteStateAsync();
        await EnsureRecorded();
        await NotifySweep();
        return new ReportAck(true, requeue ? "the cell is pending again" : null, S.CancelRequested, requeue);
    }

    public async Task<bool> SlotLost(SlotAddress slot, string reason)
    {
        if (S.Status == CellStatus.Pending) return !S.CancelRequested;
        if (S.Status != CellStatus.Running || S.Slot != slot) return false;
        S.Status = S.CancelRequested ? CellStatus.Cancelled : CellStatus.Pending;
        S.Slot = null;
        S.Version++;
        await state.WriteStateAsync();
        LogSlotLost(logger, CellId, S.Attempt, slot, reason);
        await NotifySweep();
        return S.Status == CellStatus.Pending;
    }

    public async Task Cancel()
    {
        if (IsFinal(S.Status) || S.CancelRequested) return;
        S.CancelRequested = true;
        if (S.Status == CellStatus.Pending) S.Status = CellStatus.Cancelled;
        S.Version++;
        await state.WriteStateAsync();
        await NotifySweep();
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

    private ReportAck? Fenced(int attempt)
    {
        if (attempt != S.Attempt) return new ReportAck(false, $"attempt {attempt} is stale: the cell is at attempt {S.Attempt}");
        if (S.Status != CellStatus.Running) return new ReportAck(false, $"attempt {attempt} is no longer running: the cell is {S.Status}");
        return null;
    }

    private static bool IsFinal(CellStatus status) =>
        status is CellStatus.Completed or CellStatus.Diverged or CellStatus.Failed or CellStatus.Cancelled;

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
        S.Recorded = true;
        S.Version++;
        await state.WriteStateAsync();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cell {CellId}: attempt {Attempt} fenced, its slot {Slot} is gone ({Reason})")]
    private static partial void LogSlotLost(ILogger logger, string cellId, int attempt, SlotAddress slot, string reason);
}
