namespace CoS.Distributed.Grains.Interfaces.Cells;

/// <summary>
/// The key of a cell grain: the sweep and the cell id. A cell id names a configuration, and two sweeps may share
/// one; each sweep's cell is its own grain, so results and attempts never mix between sweeps.
/// </summary>
public static class CellKey
{
    public static string Of(string sweepName, string cellId) => $"{sweepName}/{cellId}";

    /// <summary>The cell id part of a key.</summary>
    public static string CellIdOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key[(key.LastIndexOf('/') + 1)..];
    }
}
