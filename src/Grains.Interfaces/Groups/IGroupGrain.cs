using CoS.Distributed.Grains.Interfaces.Cells;

namespace CoS.Distributed.Grains.Interfaces.Groups;

/// <summary>The cells of one sweep that differ only in seed (key: "{sweep}/{groupId}").</summary>
[Alias("cos.IGroupGrain")]
public interface IGroupGrain : IGrainWithStringKey
{
    /// <summary>Counts a finished cell exactly once: recording the same cell again changes nothing (returns false).</summary>
    [Alias("Record")]
    Task<bool> Record(CellSpec groupSpec, CellResult result);

    [Alias("GetStatistics")]
    Task<GroupStatistics> GetStatistics();
}
