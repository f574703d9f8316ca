using System.Text.Json;
using CoS.Distributed.Grains.Groups;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Groups;
using CoS.Distributed.Grains.Interfaces.Scheduling;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Grains.Interfaces.Telemetry;
using CoS.Distributed.Grains.Telemetry;
using System.Diagnostics;

namespace CoS.Distributed.Grains.Sweeps;

/// <summary>
/// A sweep: validates and expands the user's definition, queues its cells, keeps a live table of their state
/// (fed by the cell grains, rebuilt from them after a restart) and gathers its groups' statistics.
/// </summary>
public sealed class SweepGrain(
    [PersistentState("sweep", CosGrainStorage.Name)] IPersistentState<SweepGrainState> state) : Grain, ISweepGrain
{
    private const int RebuildBatch = 64;
    private readonly Dictionary<string, CellSummary> cells = [];

    private SweepSpec? definition;

    private SweepGrainState S => state.State;

    /// <summary>The stored definition, read once per activation.</summary>
    private SweepSpec? Spec => definition ??= S.SpecJson is { } json ? JsonSerializer.Deserialize<SweepSpec>(json) : null;
    private string Name => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Spec is null) return;
        foreach (var cell in S.Cells)
            Set(new CellSummary(cell.CellId, cell.GroupId, CellStatus.Pending, 0, 0, cell.Spec.Epochs, null, null, null, 0));
        foreach (var batch in S.Cells.Chunk(RebuildBatch))
        {
            var snapshots = await Task.WhenAll(batch.Select(c => GrainFactory.GetGrain<ICellGrain>(CellKey.Of(Name, c.CellId)).GetSnapshot()));
            foreach (var (cell, snapshot) in batch.Zip(snapshots))
                Set(new CellSummary(cell.CellId, cell.GroupId, snapshot.Status, snapshot.Attempt, snapshot.CompletedEpochs,
                    cell.Spec.Epochs, snapshot.Slot, snapshot.Error, snapshot.Epochs.Count == 0 ? null : snapshot.Epochs[^1], snapshot.Version));
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // This activation's cells leave the silo's count; the next activation, wherever it is, counts them again.
        foreach (var cell in cells.Values) GrainMetrics.CellGone(Name, cell.Status);
        return Task.CompletedTask;
    }

    public async Task<SubmitResult> Submit(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var span = CosTelemetry.Source.StartActivity("sweep.submit");
        span?.SetTag(CosTags.Sweep, spec.Name);
        var result = await SubmitCore(spec);
        span?.SetTag(CosTags.Cells, result.CellCount);
        span?.SetTag("cos.submit.accepted", result.Accepted);
        if (!result.Accepted) span?.SetStatus(ActivityStatusCode.Error, string.Join("; ", result.Problems));
        return result;
    }

    private async Task<SubmitResult> SubmitCore(SweepSpec spec)
    {
        if (spec.Name != Name)
            return new SubmitResult(false, false, 0, [$"name: the sweep is named '{spec.Name}' but was submitted as '{Name}'"]);
        if (Spec is { } existing)
        {
            var differences = SweepDifference.Describe(existing, spec);
            if (differences.Count > 0)
            {
                return new SubmitResult(false, true, S.Cells.Count,
                    [$"a different sweep named '{Name}' was already submitted; give this one another name, or submit the same definition. Differences: {string.Join("; ", differences)}"]);
            }
            if (!S.Cancelled) await QueueUnfinished();
            return new SubmitResult(true, true, S.Cells.Count, []);
        }

        IReadOnlyList<string> problems;
        using (var validation = CosTelemetry.Source.StartActivity("sweep.validate"))
        {
            problems = SweepValidator.Validate(spec);
            validation?.SetTag("cos.problems", problems.Count);
        }
        if (problems.Count > 0) return new SubmitResult(false, false, 0, problems);

        var expanded = SweepExpansion.Expand(spec);
        var trace = Activity.Current?.Id;
        await Write(
            () => (S.SpecJson, S.Cells, S.SubmittedAt, S.TraceParent, definition) = (JsonSerializer.Serialize(spec), [.. expanded], DateTimeOffset.UtcNow, trace, null),
            () => (S.SpecJson, S.Cells, S.SubmittedAt, S.TraceParent, definition) = (null, [], null, null, null));
        foreach (var cell in expanded)
            Set(new CellSummary(cell.CellId, cell.GroupId, CellStatus.Pending, 0, 0, cell.Spec.Epochs, null, null, null, 0));
        await QueueUnfinished();
        return new SubmitResult(true, false, expanded.Count, []);
    }

    public Task<SweepStatus> GetStatus() => Task.FromResult(new SweepStatus
    {
        Name = Name,
        Exists = Spec is not null,
        Cancelled = S.Cancelled,
        Spec = Spec,
        Cells = [.. S.Cells.Select(c => cells[c.CellId])],
        SubmittedAt = S.SubmittedAt,
        FinishedAt = S.FinishedAt,
    });

    public async Task Cancel()
    {
        if (Spec is null || S.Cancelled) return;
        await Write(() => S.Cancelled = true, () => S.Cancelled = false);
        await GrainFactory.GetGrain<ISchedulerGrain>(0).RemoveSweep(Name);
        var open = cells.Values.Where(c => c.Status is CellStatus.Pending or CellStatus.Running).ToList();
        foreach (var batch in open.Chunk(RebuildBatch))
            await Task.WhenAll(batch.Select(c => GrainFactory.GetGrain<ICellGrain>(CellKey.Of(Name, c.CellId)).Cancel()));
        // A pending cell cannot start any more; a running one reports its own end.
        foreach (var cell in open.Where(c => c.Status == CellStatus.Pending))
            Set(cell with { Status = CellStatus.Cancelled });
        await CheckFinished();
    }

    public async Task<bool> Resume()
    {
        if (Spec is null || !S.Cancelled) return false;
        var finishedAt = S.FinishedAt;
        await Write(() => (S.Cancelled, S.FinishedAt) = (false, null), () => (S.Cancelled, S.FinishedAt) = (true, finishedAt));
        foreach (var batch in S.Cells.Chunk(RebuildBatch))
        {
            var resumed = await Task.WhenAll(batch.Select(c => GrainFactory.GetGrain<ICellGrain>(CellKey.Of(Name, c.CellId)).Resume()));
            foreach (var (cell, pending) in batch.Zip(resumed).Where(r => r.Second))
                Set(cells[cell.CellId] with { Status = CellStatus.Pending });
        }
        await QueueUnfinished();
        return true;
    }

    public async Task<IReadOnlyList<GroupStatistics>> GetStatistics()
    {
        var groups = S.Cells.Select(c => c.GroupId).Distinct().ToList();
        var statistics = await Task.WhenAll(groups.Select(g => GrainFactory.GetGrain<IGroupGrain>(GroupKey.Of(Name, g)).GetStatistics()));
        var specs = S.Cells.GroupBy(c => c.GroupId).ToDictionary(g => g.Key, g => g.First().Spec with { Seed = 0 });
        return [.. statistics.Select(s => s.Spec is null ? s with { Spec = specs[s.GroupId] } : s)];
    }

    public async Task CellChanged(CellSummary cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (!cells.TryGetValue(cell.CellId, out var known) || known.Version > cell.Version) return;
        Set(cell);
        await CheckFinished();
    }

    private async Task CheckFinished()
    {
        if (S.FinishedAt is not null || cells.Values.Any(c => c.Status is CellStatus.Pending or CellStatus.Running)) return;
        await Write(() => S.FinishedAt = DateTimeOffset.UtcNow, () => S.FinishedAt = null);
        await GrainFactory.GetGrain<ISchedulerGrain>(0).RemoveSweep(Name);
    }

    public Task<UnfinishedWork> GetUnfinishedWork()
    {
        if (Spec is null || S.Cancelled) return Task.FromResult(new UnfinishedWork([], []));
        var byId = S.Cells.ToDictionary(c => c.CellId);
        var pending = cells.Values.Where(c => c.Status == CellStatus.Pending).Select(c => Assignment(byId[c.CellId])).ToList();
        var running = cells.Values.Where(c => c.Status == CellStatus.Running && c.Slot is not null)
            .Select(c => new RunningCell(Assignment(byId[c.CellId]), c.Slot!)).ToList();
        return Task.FromResult(new UnfinishedWork(pending, running));
    }

    private async Task QueueUnfinished()
    {
        var work = await GetUnfinishedWork();
        if (work.Pending.Count > 0) await GrainFactory.GetGrain<ISchedulerGrain>(0).Enqueue(Name, work.Pending);
    }

    /// <summary>Puts a cell's summary in the table, moving it between the states the silo's metrics count.</summary>
    private void Set(CellSummary cell)
    {
        GrainMetrics.CellMoved(Name, cells.TryGetValue(cell.CellId, out var known) ? known.Status : null, cell.Status);
        cells[cell.CellId] = cell;
    }

    private CellAssignment Assignment(SweepCell cell) =>
        new(Name, cell.CellId, cell.GroupId, cell.Spec, Spec!.MaxAttempts, Spec.CheckpointEveryEpochs, Spec.KeepCheckpoints, Spec.MaxSlotLosses, S.TraceParent);

    /// <summary>Writes a change; when the write fails the change is undone, so memory never holds what storage may not.</summary>
    private async Task Write(Action change, Action undo)
    {
        change();
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            undo();
            DeactivateOnIdle();
            throw;
        }
    }
}
