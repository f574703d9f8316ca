using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Silo.Cells;
using Microsoft.Extensions.Logging;

namespace CoS.Distributed.Silo.Slots;

/// <summary>What a slot logs.</summary>
internal sealed partial class SlotWorker
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Slot {Slot}: scheduler unreachable: {Error}")]
    private static partial void LogSchedulerUnreachable(ILogger logger, SlotAddress slot, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cell {CellId} not started on {Slot}: {Reason}")]
    private static partial void LogNotStarted(ILogger logger, string cellId, SlotAddress slot, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cell {CellId} attempt {Attempt} on {Slot} ended {Outcome} {Detail}")]
    private static partial void LogAttemptEnded(ILogger logger, string cellId, int attempt, SlotAddress slot, AttemptOutcome outcome, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cell {CellId} on {Slot}: grain calls failed for good, the lease is left to lapse: {Error}")]
    private static partial void LogCellAbandoned(ILogger logger, string cellId, SlotAddress slot, string error);
}
