using System.Diagnostics;
using CoS.Distributed.Grains.Interfaces.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CoS.Distributed.Orchestration.Bench.Telemetry;

/// <summary>
/// The OpenTelemetry SDK as an exporting silo runs it (the same sources and meters, a batch processor, metrics read
/// every second), with exporters that only count, so the benchmark measures what recording costs and not a network.
/// </summary>
internal sealed class BenchTelemetry : IDisposable
{
    private readonly CountingSpans spans = new();
    private readonly TracerProvider tracing;
    private readonly MeterProvider metering;

    public BenchTelemetry()
    {
        tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(CosTelemetry.Name, "Microsoft.Orleans.Application")
            .AddProcessor(new BatchActivityExportProcessor(spans))
            .Build();
        metering = Sdk.CreateMeterProviderBuilder()
            .AddMeter(CosTelemetry.Name, "Microsoft.Orleans")
            .AddReader(new PeriodicExportingMetricReader(new CountingMetrics(), exportIntervalMilliseconds: 1000))
            .Build();
    }

    /// <summary>Flushes and returns the spans exported.</summary>
    public long Finish()
    {
        tracing.ForceFlush();
        metering.ForceFlush();
        return spans.Exported;
    }

    public void Dispose()
    {
        tracing.Dispose();
        metering.Dispose();
    }

    private sealed class CountingSpans : BaseExporter<Activity>
    {
        private long exported;

        public long Exported => Interlocked.Read(ref exported);

        public override ExportResult Export(in Batch<Activity> batch)
        {
            Interlocked.Add(ref exported, batch.Count);
            return ExportResult.Success;
        }
    }

    private sealed class CountingMetrics : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }
}
