using Microsoft.Extensions.Logging;

namespace CoS.Distributed.Silo.Storage;

internal static partial class StorageLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning,
        Message = "Storage {Operation} failed ({Error}); retry {Retry} of {MaxRetries} in {DelaySeconds:0.0} s")]
    public static partial void Retrying(ILogger logger, string? operation, string error, int retry, int maxRetries, double delaySeconds);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "Checkpoint {Location} (epoch {Epoch}) of cell {CellId} skipped: {Reason}")]
    public static partial void CheckpointSkipped(ILogger logger, string location, int epoch, string cellId, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information,
        Message = "Cell {CellId} resumes from checkpoint {Location} (epoch {Epoch})")]
    public static partial void CheckpointLoaded(ILogger logger, string cellId, string location, int epoch);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug,
        Message = "Deleted checkpoint {Location} (epoch {Epoch}): cell {CellId} keeps {Keep}")]
    public static partial void CheckpointPruned(ILogger logger, string location, int epoch, string cellId, int keep);
}
