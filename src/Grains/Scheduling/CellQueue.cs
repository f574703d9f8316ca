using CoS.Distributed.Grains.Interfaces.Cells;

namespace CoS.Distributed.Grains.Scheduling;

/// <summary>
/// Pending cells, one queue per sweep, taken round-robin between sweeps so several sweeps share the slots fairly.
/// Cells are keyed by sweep and cell id: two sweeps that share a configuration queue their own cells.
/// </summary>
internal sealed class CellQueue
{
    private readonly Dictionary<string, LinkedList<CellAssignment>> queues = [];
    private readonly Dictionary<string, LinkedListNode<CellAssignment>> nodes = [];
    private readonly List<string> rotation = [];
    private int nextSweep;

    public int Count => nodes.Count;

    public bool Contains(string cellKey) => nodes.ContainsKey(cellKey);

    /// <summary>Queues a cell unless it is queued already; at the front for a cell that was running (it resumes first).</summary>
    public bool Add(CellAssignment cell, bool front)
    {
        var key = CellKey.Of(cell.SweepName, cell.CellId);
        if (nodes.ContainsKey(key)) return false;
        if (!queues.TryGetValue(cell.SweepName, out var queue))
        {
            queues[cell.SweepName] = queue = new LinkedList<CellAssignment>();
            rotation.Add(cell.SweepName);
        }
        nodes[key] = front ? queue.AddFirst(cell) : queue.AddLast(cell);
        return true;
    }

    /// <summary>The next cell, from the next sweep in turn that has one.</summary>
    public CellAssignment? Take()
    {
        for (var tried = 0; tried < rotation.Count; tried++)
        {
            var sweep = rotation[nextSweep % rotation.Count];
            nextSweep = (nextSweep + 1) % rotation.Count;
            if (queues[sweep].First is not { } first) continue;
            Remove(CellKey.Of(first.Value.SweepName, first.Value.CellId));
            return first.Value;
        }
        return null;
    }

    public bool Remove(string cellKey)
    {
        if (!nodes.Remove(cellKey, out var node)) return false;
        node.List!.Remove(node);
        return true;
    }

    public void RemoveSweep(string sweep)
    {
        if (!queues.Remove(sweep, out var queue)) return;
        foreach (var cell in queue) nodes.Remove(CellKey.Of(cell.SweepName, cell.CellId));
        rotation.Remove(sweep);
        nextSweep = 0;
    }
}
