using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Groups;
using CoS.Distributed.Grains.Statistics;
using Orleans.Concurrency;

namespace CoS.Distributed.Grains.Groups;

[GenerateSerializer, Alias("cos.GroupGrainState")]
public sealed class GroupGrainState
{
    [Id(0)] public CellSpec? Spec { get; set; }
    [Id(1)] public Dictionary<string, CellResult> Results { get; set; } = [];
}

/// <summary>
/// The seeds of one configuration. Results are keyed by cell id, so a cell reported twice (a retried call, a
/// silo that died after recording) is counted once. Every cell of a group ends here, and the state (every raw
/// result) grows with the group, so writes are shared: records that arrive while a write is in flight are persisted
/// together by the next write, and each Record returns only once a write that includes it has completed.
/// </summary>
[Reentrant]
public sealed class GroupGrain(
    [PersistentState("group", CosGrainStorage.Name)] IPersistentState<GroupGrainState> state) : Grain, IGroupGrain
{
    private Task writing = Task.CompletedTask;
    private Task? nextWrite;

    // A write failed: memory holds results storage may not, so this activation answers nothing more until it is gone.
    private bool broken;

    public async Task<bool> Record(CellSpec groupSpec, CellResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (broken) throw new InvalidOperationException($"group {this.GetPrimaryKeyString()} failed to write its state; retry, and a fresh activation reads it again");
        if (state.State.Results.ContainsKey(result.CellId))
        {
            // Counted already; it may still be waiting for its write, and the caller must not move on before that.
            await (nextWrite ?? writing);
            return false;
        }
        state.State.Spec ??= groupSpec;
        state.State.Results[result.CellId] = result;
        await Persist();
        return true;
    }

    public Task<GroupStatistics> GetStatistics()
    {
        var groupId = this.GetPrimaryKeyString();
        groupId = groupId[(groupId.LastIndexOf('/') + 1)..];
        return Task.FromResult(GroupStatisticsCalculator.Compute(groupId, state.State.Spec, state.State.Results.Values));
    }

    /// <summary>A write that starts after every change made so far: the one in flight if none is, else the next.</summary>
    private Task Persist()
    {
        if (nextWrite is not null) return nextWrite;
        if (writing.IsCompleted) return writing = Write();
        return nextWrite = WriteAfter(writing);
    }

    private async Task WriteAfter(Task previous)
    {
        try
        {
            await previous;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The previous write's callers see its failure; this write persists the whole state again.
        }
        nextWrite = null;
        await (writing = Write());
    }

    private async Task Write()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // What storage holds is unknown now: reload it on the next call instead of trusting memory.
            broken = true;
            DeactivateOnIdle();
            throw;
        }
    }
}
