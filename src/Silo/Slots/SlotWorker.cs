using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Scheduling;
using CoS.Distributed.Grains.Placement;
using CoS.Distributed.Silo.Cells;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace CoS.Distributed.Silo.Slots;

/// <summary>
/// One slot's loop, on its own thread (never the Orleans scheduler): lease a cell, start an attempt, train it,
/// report, release, and ask again. Nothing waits on this thread but the slot itself.
/// </summary>
internal sealed partial class SlotWorker(
    SlotAddress slot,
    IGrainFactory grains,
    ICellTrainer trainer,
    SlotOptions options,
    ILogger logger)
{
    // Grain calls can fail while the silo that hosts the callee is being declared dead: retry those.
    private static readonly ResiliencePipeline GrainCalls = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<OrleansException>().Handle<TimeoutException>(),
            MaxRetryAttempts = 8,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(5),
        })
        .Build();

    private readonly ISchedulerGrain scheduler = grains.GetGrain<ISchedulerGrain>(0);

    public SlotAddress Slot => slot;

    public void Run(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            CellAssignment? assignment;
            try
            {
                assignment = Call(() => scheduler.Lease(slot), stopping);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or OperationCanceledException)
            {
                if (stopping.IsCancellationRequested) return;
                LogSchedulerUnreachable(logger, slot, e.Message);
                stopping.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
                continue;
            }
            if (assignment is null)
            {
                stopping.WaitHandle.WaitOne(options.IdlePoll);
                continue;
            }
            RunCell(assignment, stopping);
        }
    }

    private void RunCell(CellAssignment assignment, CancellationToken stopping)
    {
        var cell = grains.GetGrain<ICellGrain>(CellKey.Of(assignment.SweepName, assignment.CellId));
        var requeue = false;
        try
        {
            // The cell grain is placed beside this slot (SlotPlacementDirector reads the hint).
            RequestContext.Set(SlotMetadata.TargetSilo, slot.Silo);
            AttemptStart start;
            try
            {
                start = Call(() => cell.BeginAttempt(assignment, slot), CancellationToken.None);
            }
            finally
            {
                RequestContext.Remove(SlotMetadata.TargetSilo);
            }
            if (!start.Started)
            {
                LogNotStarted(logger, assignment.CellId, slot, start.Reason ?? "");
                return;
            }

            var context = new AttemptContext(assignment, start, slot,
                (epoch, checkpoint) => Call(() => cell.ReportEpoch(start.Attempt, epoch, checkpoint), CancellationToken.None));
            AttemptResult result;
            try
            {
                result = trainer.Train(context, stopping);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                result = new AttemptResult(AttemptOutcome.Failed, $"{e.GetType().Name}: {e.Message}");
            }
            LogAttemptEnded(logger, assignment.CellId, start.Attempt, slot, result.Outcome, result.Detail ?? "");
            if (result.Outcome == AttemptOutcome.Fenced) return;
            var end = result.Outcome switch
            {
                AttemptOutcome.Completed => AttemptEnd.Completed,
                AttemptOutcome.Diverged => AttemptEnd.Diverged,
                AttemptOutcome.Cancelled => AttemptEnd.Cancelled,
                AttemptOutcome.HandedBack => AttemptEnd.HandedBack,
                _ => AttemptEnd.Failed,
            };
            var ack = Call(() => cell.EndAttempt(start.Attempt, end, result.Detail), CancellationToken.None);
            requeue = ack.Requeue;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            // The cluster could not be reached for long: the scheduler's lease watch or reconciliation takes over.
            LogCellAbandoned(logger, assignment.CellId, slot, e.Message);
        }
        finally
        {
            try
            {
                Call(() => scheduler.Release(assignment.CellId, slot, requeue), CancellationToken.None);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                LogSchedulerUnreachable(logger, slot, e.Message);
            }
        }
    }

    private static T Call<T>(Func<Task<T>> call, CancellationToken cancellation) =>
        GrainCalls.ExecuteAsync(async _ => await call(), cancellation).AsTask().GetAwaiter().GetResult();

    private static void Call(Func<Task> call, CancellationToken cancellation) =>
        GrainCalls.ExecuteAsync(async _ => await call(), cancellation).AsTask().GetAwaiter().GetResult();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slot {Slot}: scheduler unreachable: {Error}")]
    private static partial void LogSchedulerUnreachable(ILogger logger, SlotAddress slot, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cell {CellId} not started on {Slot}: {Reason}")]
    private static partial void LogNotStarted(ILogger logger, string cellId, SlotAddress slot, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cell {CellId} attempt {Attempt} on {Slot} ended {Outcome} {Detail}")]
    private static partial void LogAttemptEnded(ILogger logger, string cellId, int attempt, SlotAddress slot, AttemptOutcome outcome, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cell {CellId} on {Slot}: cluster unreachable, attempt left to the lease watch: {Error}")]
    private static partial void LogCellAbandoned(ILogger logger, string cellId, SlotAddress slot, string error);
}
