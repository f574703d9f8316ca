using CoS.Distributed.Grains.Interfaces.Cells;

namespace CoS.Distributed.Grains.Tests;

/// <summary>Calls as a slot makes them, for tests that play the slot: every attempt under a lease of its own.</summary>
internal static class SlotCalls
{
    public static Task<AttemptStart> BeginAttempt(this ICellGrain cell, CellAssignment assignment, SlotAddress slot) =>
        cell.BeginAttempt(assignment, slot, Guid.NewGuid());
}
