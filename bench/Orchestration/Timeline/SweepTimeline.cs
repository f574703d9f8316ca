using System.Diagnostics;
using CoS.Distributed.Orchestration.Bench.Peers;
using CoS.Distributed.Orchestration.Bench.Trainer;

namespace CoS.Distributed.Orchestration.Bench.Timeline;

/// <summary>
/// What one sweep's cell spans say about dispatch. Work is pending from the first cell's start until the last
/// cell's start (the queue is empty from then on): utilisation is busy slot-time within that window divided by
/// the slots' time in it, and a dispatch gap is the time from a slot's cell ending to its next cell starting,
/// counted when the slot freed while work was pending.
/// </summary>
internal sealed record SweepTimeline(
    int Cells,
    int Slots,
    double HoldMs,
    double MeanHeldMs,
    double WindowSeconds,
    double Utilisation,
    Latency Dispatch,
    int FreedWithoutNextCell,
    double StartupSkewMs,
    double WallSeconds,
    double IdealSeconds)
{
    public double Overhead => WallSeconds / IdealSeconds - 1;

    public double CellsPerSecond => Cells / WallSeconds;

    /// <summary>The ideal with the holds the cells really had (sleep overshoot and epoch reports included).</summary>
    public double IdealWithMeasuredHoldsSeconds => Cells * MeanHeldMs / 1000 / Slots;

    public static SweepTimeline Of(IReadOnlyList<CellSpan> spans, int slots, TimeSpan hold)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0) throw new InvalidOperationException("no cell ran: nothing to measure");
        var firstStart = spans.Min(s => s.Start);
        var lastStart = spans.Max(s => s.Start);
        var lastEnd = spans.Max(s => s.End);

        long busy = 0;
        var gaps = new List<double>();
        var freedWithoutNext = 0;
        var slotFirstStarts = new List<long>();
        foreach (var slot in spans.GroupBy(s => s.Slot))
        {
            var ordered = slot.OrderBy(s => s.Start).ToList();
            slotFirstStarts.Add(ordered[0].Start);
            foreach (var span in ordered) busy += Math.Max(0, Math.Min(span.End, lastStart) - Math.Max(span.Start, firstStart));
            for (var i = 0; i < ordered.Count; i++)
            {
                if (ordered[i].End > lastStart) continue;
                if (i + 1 < ordered.Count) gaps.Add(Latency.Milliseconds(ordered[i].End, ordered[i + 1].Start));
                else freedWithoutNext++;
            }
        }
        var window = lastStart - firstStart;
        var skew = slotFirstStarts.Count < slots ? double.PositiveInfinity : Latency.Milliseconds(firstStart, slotFirstStarts.Max());
        return new SweepTimeline(
            spans.Count,
            slots,
            hold.TotalMilliseconds,
            spans.Average(s => Latency.Milliseconds(s.Start, s.End)),
            (double)window / Stopwatch.Frequency,
            window == 0 ? 1 : (double)busy / ((double)window * slots),
            Latency.Of(gaps),
            freedWithoutNext,
            skew,
            (double)(lastEnd - firstStart) / Stopwatch.Frequency,
            spans.Count * hold.TotalSeconds / slots);
    }
}
