using System.Globalization;
using CoS.Distributed.Grains.Interfaces.Telemetry;

namespace CoS.Distributed.Client.Traces;

/// <summary>A slot that trained: its silo and index, as a row of the timeline.</summary>
public sealed record SlotLane(string Silo, int Index)
{
    // An Orleans silo address reads "host:port@generation"; the generation only tells restarts of one endpoint apart.
    public string Label => $"{(Silo.LastIndexOf('@') is > 0 and var at ? Silo[..at] : Silo)} · slot {Index}";
}

/// <summary>One attempt of a cell on a slot: its `cell.attempt` span.</summary>
public sealed record AttemptBar(
    string SpanId, string Cell, string Model, string Activation, long Seed, long Attempt, SlotLane Slot, string Outcome,
    double StartSeconds, double EndSeconds)
{
    /// <summary>Killed or stopped before the cell's end: fenced, handed back, failed, abandoned, cancelled, or never ended in the file.</summary>
    public bool CutShort => Outcome is "fenced" or "handed_back" or "failed" or "abandoned" or "cancelled" or "unfinished";

    public string CellLabel => $"{Model}·{Activation}·seed {Seed}";
}

/// <summary>One epoch of an attempt: its `epoch` span.</summary>
public sealed record EpochBar(AttemptBar Attempt, long Epoch, double StartSeconds, double EndSeconds)
{
    public double Seconds => EndSeconds - StartSeconds;
}

/// <summary>
/// A sweep as its spans tell it: every attempt of every cell on the slot that ran it, in seconds since the sweep's
/// first attempt began, and the epochs of each attempt.
/// </summary>
public sealed class SweepTimeline
{
    private SweepTimeline(string sweep, IReadOnlyList<SlotLane> lanes, IReadOnlyList<AttemptBar> attempts, IReadOnlyList<EpochBar> epochs)
    {
        Sweep = sweep;
        Lanes = lanes;
        Attempts = attempts;
        Epochs = epochs;
    }

    public string Sweep { get; }

    /// <summary>The slots, by the silo's first attempt then index: the timeline's rows from the top.</summary>
    public IReadOnlyList<SlotLane> Lanes { get; }

    public IReadOnlyList<AttemptBar> Attempts { get; }
    public IReadOnlyList<EpochBar> Epochs { get; }

    public double WallSeconds => Attempts.Count == 0 ? 0 : Attempts.Max(a => a.EndSeconds);

    /// <summary>Attempts beyond each cell's first.</summary>
    public int Retries => Attempts.Count - Attempts.Select(a => a.Cell).Distinct(StringComparer.Ordinal).Count();

    /// <summary>The sweeps that have attempts among <paramref name="spans"/>, by name.</summary>
    public static IReadOnlyList<string> SweepsIn(IEnumerable<TraceSpan> spans) =>
        [.. spans.Where(s => s.Name == "cell.attempt").Select(s => s.Text(CosTags.Sweep)).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The timeline of <paramref name="sweep"/>; null when no attempt of it is among <paramref name="spans"/>.</summary>
    public static SweepTimeline? Build(IReadOnlyList<TraceSpan> spans, string sweep)
    {
        ArgumentNullException.ThrowIfNull(spans);
        // A batch exported twice (a retried export) must not draw an attempt twice.
        var attemptSpans = spans.Where(s => s.Name == "cell.attempt" && s.Text(CosTags.Sweep) == sweep)
            .DistinctBy(s => (s.TraceId, s.SpanId)).OrderBy(s => s.Start).ToList();
        if (attemptSpans.Count == 0) return null;
        var origin = attemptSpans[0].Start;
        double Seconds(DateTime time) => (time - origin).TotalSeconds;

        var attempts = attemptSpans.Select(s => new AttemptBar(
            s.SpanId, s.Text(CosTags.Cell) ?? "?", s.Text(CosTags.Model) ?? "?", s.Text(CosTags.Activation) ?? "?",
            s.WholeNumber(CosTags.Seed) ?? 0, s.WholeNumber(CosTags.Attempt) ?? 0,
            new SlotLane(s.Text(CosTags.Silo) ?? s.ServiceInstance ?? "?", (int)(s.WholeNumber(CosTags.Slot) ?? 0)),
            s.Text(CosTags.Outcome) ?? "unfinished", Seconds(s.Start), Seconds(s.End))).ToList();
        var bySpan = attempts.ToDictionary(a => a.SpanId, StringComparer.Ordinal);
        var epochs = spans.Where(s => s.Name == "epoch" && s.ParentSpanId is not null && bySpan.ContainsKey(s.ParentSpanId))
            .DistinctBy(s => (s.TraceId, s.SpanId))
            .Select(s => new EpochBar(bySpan[s.ParentSpanId!], s.WholeNumber(CosTags.Epoch) ?? 0, Seconds(s.Start), Seconds(s.End)))
            .OrderBy(e => e.StartSeconds).ToList();
        // Silos in the order they began to train (a resumed run's new silo below the first), each one's slots by index.
        var siloStart = attempts.GroupBy(a => a.Slot.Silo, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(a => a.StartSeconds), StringComparer.Ordinal);
        var lanes = attempts.Select(a => a.Slot).Distinct()
            .OrderBy(l => siloStart[l.Silo]).ThenBy(l => l.Silo, StringComparer.Ordinal).ThenBy(l => l.Index).ToList();
        return new SweepTimeline(sweep, lanes, attempts, epochs);
    }

    /// <summary>The <paramref name="count"/> longest epochs, longest first.</summary>
    public IReadOnlyList<EpochBar> SlowestEpochs(int count) => [.. Epochs.OrderByDescending(e => e.Seconds).Take(count)];

    /// <summary>One line: attempts, cells, slots, wall time, retries and the attempts not completed.</summary>
    public string Summary()
    {
        var cut = Attempts.Count(a => a.CutShort);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Sweep}: {Attempts.Count} attempt(s) of {Attempts.Select(a => a.Cell).Distinct(StringComparer.Ordinal).Count()} cell(s) on {Lanes.Count} slot(s), " +
            $"wall time {WallSeconds:0.0} s, {Retries} retr{(Retries == 1 ? "y" : "ies")}, {cut} not completed");
    }
}
