using System.Collections.Concurrent;
using System.Diagnostics;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Silo.Cells;

namespace CoS.Distributed.Orchestration.Bench.Trainer;

/// <summary>One cell's time on its slot, in Stopwatch ticks: from Train entered to Train returned.</summary>
internal sealed record CellSpan(string Sweep, SlotAddress Slot, long Start, long End);

/// <summary>
/// Stands in for training: holds the slot for a fixed time per cell, reports every epoch to the cell grain through
/// the real path (fencing check, persisted state, sweep notification) and records when each cell started and ended.
/// It sleeps through the whole milliseconds and yields through the sub-millisecond rest: twelve slot threads
/// spinning for the whole hold would take the two cores from the Orleans scheduler this benchmark measures.
/// </summary>
internal sealed class SimulatedCellTrainer : ICellTrainer
{
    private readonly ConcurrentDictionary<string, Expectation> sweeps = new();
    private readonly ConcurrentQueue<CellSpan> spans = new();

    private sealed class Expectation(TimeSpan hold, int cells)
    {
        private int ended;

        public TimeSpan Hold => hold;
        public TaskCompletionSource AllEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void CellEnded()
        {
            if (Interlocked.Increment(ref ended) == cells) AllEnded.TrySetResult();
        }
    }

    /// <summary>Cells of this sweep hold their slot this long; the task completes when that many cells have completed.</summary>
    public Task Expect(string sweep, TimeSpan holdPerCell, int cells)
    {
        var expectation = new Expectation(holdPerCell, cells);
        if (!sweeps.TryAdd(sweep, expectation))
            throw new InvalidOperationException($"sweep '{sweep}' is already expected; give each benchmark sweep its own name");
        return expectation.AllEnded.Task;
    }

    public IReadOnlyList<CellSpan> SpansOf(string sweep) => [.. spans.Where(s => s.Sweep == sweep)];

    public AttemptResult Train(AttemptContext attempt, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var start = Stopwatch.GetTimestamp();
        var sweep = attempt.Assignment.SweepName;
        if (!sweeps.TryGetValue(sweep, out var expectation))
            return new AttemptResult(AttemptOutcome.Failed, $"the benchmark did not expect sweep '{sweep}'");
        var completed = false;
        try
        {
            var spec = attempt.Assignment.Spec;
            var first = attempt.Start.CompletedEpochs + 1;
            var remaining = spec.Epochs - attempt.Start.CompletedEpochs;
            var perEpoch = expectation.Hold / Math.Max(1, remaining);
            for (var epoch = first; epoch <= spec.Epochs; epoch++)
            {
                if (!HoldUntil(start + (long)((epoch - first + 1) * perEpoch.TotalSeconds * Stopwatch.Frequency), stopping))
                    return new AttemptResult(AttemptOutcome.HandedBack, "the silo is stopping");
                var ack = attempt.ReportEpoch(Report(epoch, spec, perEpoch), null);
                if (!ack.Accepted) return new AttemptResult(AttemptOutcome.Fenced, ack.Reason);
                if (ack.CancelRequested) return new AttemptResult(AttemptOutcome.Cancelled);
            }
            completed = true;
            return new AttemptResult(AttemptOutcome.Completed);
        }
        finally
        {
            spans.Enqueue(new CellSpan(sweep, attempt.Slot, start, Stopwatch.GetTimestamp()));
            if (completed) expectation.CellEnded();
        }
    }

    /// <summary>Waits until the Stopwatch reaches <paramref name="due"/>; false when the slot is told to stop.</summary>
    private static bool HoldUntil(long due, CancellationToken stopping)
    {
        while (true)
        {
            var left = due - Stopwatch.GetTimestamp();
            if (left <= 0) return true;
            var wholeMilliseconds = (int)(left * 1000 / Stopwatch.Frequency);
            if (wholeMilliseconds >= 1)
            {
                if (stopping.WaitHandle.WaitOne(wholeMilliseconds)) return false;
            }
            else
            {
                if (stopping.IsCancellationRequested) return false;
                Thread.Yield();
            }
        }
    }

    // Plausible numbers that vary by seed, so the groups' statistics are computed over real spreads.
    private static EpochReport Report(int epoch, CellSpec spec, TimeSpan perEpoch)
    {
        var accuracy = 0.80 + (spec.Seed % 97) / 1000.0 + epoch / 1000.0;
        return new EpochReport(epoch, 1 - accuracy, accuracy, 1.1 - accuracy, accuracy - 0.01, spec.LearningRate,
            perEpoch.TotalSeconds, 0);
    }
}
