using System.Diagnostics;
using CoS.Distributed.Grains.Interfaces.Telemetry;
using CoS.Distributed.Silo.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CoS.Distributed.Client.Tests.Traces;

/// <summary>
/// Spans made by a real ActivitySource and written by the real OpenTelemetry SDK through the OTLP/JSON file exporter, as
/// a silo writes them: `cell.attempt` roots with the slot workers' tags and `epoch` children, at chosen times.
/// </summary>
internal sealed class RecordedSpans : IDisposable
{
    private readonly ActivitySource source = new($"CoS.Tests.Traces.{Guid.NewGuid():N}");
    private readonly TracerProvider provider;

    public RecordedSpans(string file, string instance = "silo-test")
    {
        File = file;
        provider = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService("cos-silo", serviceInstanceId: instance))
            .AddSource(source.Name)
            .AddProcessor(new BatchActivityExportProcessor(new OtlpJsonFileExporter(file)))
            .Build();
    }

    public string File { get; }
    public DateTimeOffset Origin { get; } = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    public ActivitySource Source => source;

    /// <summary>An attempt from <paramref name="from"/> to <paramref name="to"/> seconds, with an epoch span for each (start, end) given.</summary>
    public ActivityContext Attempt(string sweep, string cell, string activation, int seed, int attempt, string silo, int slot, string outcome,
        double from, double to, params (double From, double To)[] epochs)
    {
        var tags = new ActivityTagsCollection
        {
            [CosTags.Sweep] = sweep,
            [CosTags.Cell] = cell,
            [CosTags.Model] = "small_cnn",
            [CosTags.Activation] = activation,
            [CosTags.Seed] = seed,
            [CosTags.Silo] = silo,
            [CosTags.Slot] = slot,
            [CosTags.Device] = "cpu",
            [CosTags.Attempt] = attempt,
        };
        using var span = source.StartActivity("cell.attempt", ActivityKind.Internal, default(ActivityContext), tags, null, Origin.AddSeconds(from))!;
        for (var i = 0; i < epochs.Length; i++)
        {
            using var epoch = source.StartActivity("epoch", ActivityKind.Internal, span.Context, startTime: Origin.AddSeconds(epochs[i].From))!;
            epoch.SetTag(CosTags.Epoch, i + 1);
            epoch.SetEndTime(Origin.AddSeconds(epochs[i].To).UtcDateTime);
        }
        span.SetTag(CosTags.Outcome, outcome);
        span.SetEndTime(Origin.AddSeconds(to).UtcDateTime);
        return span.Context;
    }

    public void Flush() => provider.ForceFlush();

    public void Dispose()
    {
        provider.Dispose();
        source.Dispose();
    }
}
