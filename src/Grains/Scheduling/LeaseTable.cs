using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Scheduling;

namespace CoS.Distributed.Grains.Scheduling;

/// <summary>
/// Who holds each leased cell, and until when. A lease is found by its cell (sweep and cell id) or by its id, which
/// is the slot's request id: a retried request finds the lease it was granted. A lease adopted from a sweep's table
/// (after this grain moved, or when reconciling) has no id until its slot's heartbeat names it.
/// </summary>
internal sealed class LeaseTable(TimeProvider clock, TimeSpan duration)
{
    private readonly Dictionary<string, Entry> byCell = [];
    private readonly Dictionary<Guid, Entry> byId = [];

    public sealed class Entry(CellLease lease, DateTimeOffset expires)
    {
        public CellLease Lease { get; set; } = lease;
        public DateTimeOffset Expires { get; set; } = expires;

        /// <summary>Adopted from a table: the slot that runs it has not named it yet.</summary>
        public bool Adopted => Lease.Id == Guid.Empty;

        public string Key => CellKey.Of(Lease.Cell.SweepName, Lease.Cell.CellId);
    }

    public int Count => byCell.Count;

    public IEnumerable<Entry> All => byCell.Values;

    public bool Holds(string cellKey) => byCell.ContainsKey(cellKey);

    public Entry? ById(Guid id) => byId.GetValueOrDefault(id);

    /// <summary>The entry of a slot's lease: by its id, or the adopted lease of the same cell on the same slot.</summary>
    public Entry? Find(CellLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var entry = byId.GetValueOrDefault(lease.Id)
            ?? (byCell.GetValueOrDefault(CellKey.Of(lease.Cell.SweepName, lease.Cell.CellId)) is { Adopted: true } adopted ? adopted : null);
        return entry?.Lease.Slot == lease.Slot ? entry : null;
    }

    public CellLease Grant(Guid id, CellAssignment cell, SlotAddress slot) => Add(new CellLease(id, cell, slot, duration)).Lease;

    /// <summary>A lease for a cell a table says runs on <paramref name="slot"/>: it lapses unless that slot renews it.</summary>
    public void Adopt(CellAssignment cell, SlotAddress slot) => Add(new CellLease(Guid.Empty, cell, slot, duration));

    /// <summary>Extends a lease its slot still holds; false when the slot's lease is not (or no longer) this table's.</summary>
    public bool Renew(HeldLease held)
    {
        if (byId.TryGetValue(held.Id, out var entry))
        {
            if (entry.Lease.Slot != held.Slot) return false;
        }
        else if (byCell.TryGetValue(CellKey.Of(held.SweepName, held.CellId), out entry) && entry.Adopted && entry.Lease.Slot == held.Slot)
        {
            entry.Lease = entry.Lease with { Id = held.Id };
            byId[held.Id] = entry;
        }
        else return false;
        entry.Expires = clock.GetUtcNow() + duration;
        return true;
    }

    public void Remove(Entry entry)
    {
        byCell.Remove(entry.Key);
        if (!entry.Adopted) byId.Remove(entry.Lease.Id);
    }

    public List<Entry> Expired() => [.. byCell.Values.Where(e => e.Expires <= clock.GetUtcNow())];

    private Entry Add(CellLease lease)
    {
        var entry = new Entry(lease, clock.GetUtcNow() + duration);
        byCell[entry.Key] = entry;
        if (!entry.Adopted) byId[lease.Id] = entry;
        return entry;
    }
}
