using System.Collections.Concurrent;
using CoS.Distributed.Grains.Interfaces.Scheduling;

namespace CoS.Distributed.Silo.Slots;

/// <summary>
/// The leases this silo's slots hold, renewed together by one heartbeat. A lease the scheduler no longer recognises
/// (it lapsed, or was taken back) is revoked: the attempt training it is stopped at its next batch.
/// </summary>
public sealed class HeldLeases
{
    private readonly ConcurrentDictionary<Guid, Held> held = new();

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Never disposed: see the field.")]
    public sealed class Held(CellLease lease)
    {
        // Never disposed: a heartbeat may revoke a lease while its slot lets go of it, and a source without timers holds nothing.
        private readonly CancellationTokenSource revoked = new();

        public CellLease Lease { get; } = lease;

        /// <summary>Cancelled when the scheduler says this lease is no longer the slot's.</summary>
        public CancellationToken Revoked => revoked.Token;

        public bool IsRevoked => revoked.IsCancellationRequested;

        internal void Revoke() => revoked.Cancel();
    }

    public int Count => held.Count;

    /// <summary>The shortest lease duration held, which sets how often the heartbeat must beat.</summary>
    public TimeSpan? ShortestDuration => held.IsEmpty ? null : held.Values.Min(h => h.Lease.Duration);

    public Held Hold(CellLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return held.GetOrAdd(lease.Id, _ => new Held(lease));
    }

    /// <summary>Stops renewing a lease: released, or given up so that it lapses at the scheduler.</summary>
    public void Drop(CellLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        held.TryRemove(lease.Id, out _);
    }

    public IReadOnlyList<HeldLease> Snapshot() =>
        [.. held.Values.Select(h => new HeldLease(h.Lease.Id, h.Lease.Cell.SweepName, h.Lease.Cell.CellId, h.Lease.Slot))];

    public void Revoke(IEnumerable<Guid> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var id in ids)
            if (held.TryGetValue(id, out var h)) h.Revoke();
    }
}
