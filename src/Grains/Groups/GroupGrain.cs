using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Groups;
using CoS.Distributed.Grains.Statistics;

namespace CoS.Distributed.Grains.Groups;

[GenerateSerializer, Alias("cos.GroupGrainState")]
public sealed class GroupGrainState
{
    [Id(0)] public CellSpec? Spec { get; set; }
    [Id(1)] public Dictionary<string, CellResult> Results { get; set; } = [];
}

/// <summary>
/// The seeds of one configuration. Results are keyed by cell id, so a cell reported twice (a retried call, a
/// silo that died after recording) is counted once.
/// </summary>
public sealed class GroupGrain(
    [PersistentState("group", CosGrainStorage.Name)] IPersistentState<GroupGrainState> state) : Grain, IGroupGrain
{
    public async Task<bool> Record(CellSpec groupSpec, CellResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (state.State.Results.ContainsKey(result.CellId)) return false;
        state.State.Spec ??= groupSpec;
        state.State.Results[result.CellId] = result;
        await state.WriteStateAsync();
        return true;
    }

    public Task<GroupStatistics> GetStatistics()
    {
        var groupId = this.GetPrimaryKeyString();
        groupId = groupId[(groupId.LastIndexOf('/') + 1)..];
        return Task.FromResult(GroupStatisticsCalculator.Compute(groupId, state.State.Spec, state.State.Results.Values));
    }
}
