using System.Diagnostics;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Scheduling;
using CoS.Distributed.Grains.Interfaces.Telemetry;
using CoS.Distributed.Silo.Cells;

namespace CoS.Distributed.Silo.Slots;

/// <summary>
/// The span of one attempt on its slot thread: a root span (hours of training make no good child of a submit), linked
/// to the sweep's submit and to the attempt it replaces, so one query by sweep finds every attempt of every cell and a
/// resumed attempt leads to the one that was lost. Epochs, checkpoints and the grain calls of the attempt are its children.
/// </summary>
internal static class AttemptSpan
{
    public static Activity? Start(CellLease lease, DateTimeOffset leasedAt)
    {
        // A slot thread runs attempt after attempt: never let one become the parent of the next.
        Activity.Current = null;
        var cell = lease.Cell;
        var links = CosTelemetry.Parse(cell.TraceParent) is { } submit
            ? new[] { new ActivityLink(submit, new ActivityTagsCollection { ["cos.link"] = "sweep.submit" }) }
            : null;
        var tags = new ActivityTagsCollection
        {
            [CosTags.Sweep] = cell.SweepName,
            [CosTags.Cell] = cell.CellId,
            [CosTags.Group] = cell.GroupId,
            [CosTags.Model] = cell.Spec.Model,
            [CosTags.Activation] = cell.Spec.Activation,
            [CosTags.Seed] = cell.Spec.Seed,
            [CosTags.Silo] = lease.Slot.Silo,
            [CosTags.Slot] = lease.Slot.Index,
            [CosTags.Device] = lease.Slot.Device,
        };
        var span = CosTelemetry.Source.StartActivity("cell.attempt", ActivityKind.Internal, default(ActivityContext), tags, links, leasedAt);
        span?.AddEvent(new ActivityEvent("leased", leasedAt, new ActivityTagsCollection { ["cos.lease.id"] = lease.Id.ToString() }));
        return span;
    }

    public static void Began(Activity? span, AttemptStart start)
    {
        if (span is null) return;
        span.SetTag(CosTags.Attempt, start.Attempt);
        span.SetTag("cos.resumed_from_epoch", start.CompletedEpochs);
        if (!start.Started) span.SetTag(CosTags.Outcome, "not_started");
        if (CosTelemetry.Parse(start.PreviousAttemptTrace) is { } previous)
            span.AddLink(new ActivityLink(previous, new ActivityTagsCollection { ["cos.link"] = "previous attempt" }));
    }

    public static void Ended(Activity? span, AttemptOutcome outcome, string? detail)
    {
        if (span is null) return;
        span.SetTag(CosTags.Outcome, Outcome(outcome));
        if (detail is not null) span.SetTag("cos.outcome.detail", detail);
        if (outcome == AttemptOutcome.Fenced) span.AddEvent(new ActivityEvent("attempt fenced", tags: new ActivityTagsCollection { ["cos.reason"] = detail }));
        if (outcome is AttemptOutcome.Failed) span.SetStatus(ActivityStatusCode.Error, detail);
    }

    public static void Abandoned(Activity? span, Exception exception)
    {
        span?.SetTag(CosTags.Outcome, "abandoned");
        span.Fail(exception);
    }

    private static string Outcome(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.HandedBack => "handed_back",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}
