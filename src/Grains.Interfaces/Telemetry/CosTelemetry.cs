using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CoS.Distributed.Grains.Interfaces.Telemetry;

/// <summary>
/// The project's one ActivitySource and one Meter, both named "CoS.Distributed", used by the client, the grains and
/// the slot workers (the training core opens a source of the same name for its train and evaluate spans). Nothing is
/// recorded unless an OpenTelemetry provider listens: with no exporter configured, a span costs one null check.
/// </summary>
public static class CosTelemetry
{
    public const string Name = "CoS.Distributed";

    public static ActivitySource Source { get; } = new(Name, typeof(CosTelemetry).Assembly.GetName().Version?.ToString());

    public static Meter Meter { get; } = new(Name, typeof(CosTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>The span context in a W3C traceparent carried by a message, or null for none (or a malformed one).</summary>
    public static ActivityContext? Parse(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : null;

    /// <summary>Marks a span failed, with the exception as an event, as the OpenTelemetry conventions ask.</summary>
    public static void Fail(this Activity? activity, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (activity is null) return;
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.AddException(exception);
    }
}

/// <summary>Span and metric attributes, in users' words.</summary>
public static class CosTags
{
    public const string Sweep = "cos.sweep";
    public const string Cell = "cos.cell.id";
    public const string Group = "cos.group.id";
    public const string Model = "cos.model";
    public const string Activation = "cos.activation";
    public const string Seed = "cos.seed";
    public const string Attempt = "cos.attempt";
    public const string Epoch = "cos.epoch";
    public const string Silo = "cos.silo";
    public const string Slot = "cos.slot";
    public const string Device = "cos.device";
    public const string Outcome = "cos.outcome";
    public const string State = "cos.cell.state";
    public const string Cells = "cos.cells";
    public const string Bytes = "cos.checkpoint.bytes";
    public const string Operation = "cos.checkpoint.operation";
}
