using CoS.Distributed.Grains.Interfaces.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CoS.Distributed.Silo.Telemetry;

public static class TelemetryServiceExtensions
{
    /// <summary>
    /// OpenTelemetry for a silo or the `cos` tool: the project's source and meter, Orleans' application spans and meter,
    /// .NET runtime metrics and the logs (each record inside a span carries its trace and span ids), exported by OTLP
    /// when the OTEL_* environment asks for it, to the console and to a Prometheus endpoint when the options do; spans
    /// also to an OTLP/JSON file when TraceFile is given (that alone turns on tracing, not metrics or logs).
    /// When nothing asks, nothing is registered: no provider, no exporter, no listener.
    /// </summary>
    /// <returns>Whether telemetry is on.</returns>
    public static bool AddCosTelemetry(this IServiceCollection services, TelemetryOptions options, string serviceName, string? instance,
        Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var otlp = TelemetryOptions.OtlpConfigured(environment);
        var tracing = otlp || options.Console || options.TraceFile is not null;
        var metrics = otlp || options.Console || options.PrometheusPort is not null;
        if (!tracing && !metrics) return false;

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: instance ?? Environment.MachineName));
        if (tracing)
        {
            telemetry.WithTracing(trace =>
            {
                trace.AddSource(CosTelemetry.Name, "Microsoft.Orleans.Application");
                if (options.OrleansRuntimeSpans) trace.AddSource("Microsoft.Orleans.Runtime");
                if (otlp) trace.AddOtlpExporter();
                if (options.Console) trace.AddConsoleExporter();
                if (options.TraceFile is { } file) trace.AddProcessor(new BatchActivityExportProcessor(new OtlpJsonFileExporter(file)));
            });
        }
        if (otlp || options.Console)
        {
            telemetry.WithLogging(logs =>
            {
                if (otlp) logs.AddOtlpExporter();
                if (options.Console) logs.AddConsoleExporter();
            });
        }
        if (metrics)
        {
            telemetry.WithMetrics(meter =>
            {
                meter.AddMeter(CosTelemetry.Name, "Microsoft.Orleans").AddRuntimeInstrumentation();
                // Buckets that fit what they measure (the SDK's default ones start at 5 s, too coarse for a p95 of short epochs).
                meter.AddView("cos.epoch.duration", new ExplicitBucketHistogramConfiguration { Boundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] });
                meter.AddView("cos.checkpoint.duration", new ExplicitBucketHistogramConfiguration { Boundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
                if (otlp) meter.AddOtlpExporter();
                if (options.Console) meter.AddConsoleExporter();
                if (options.PrometheusPort is { } port)
                    meter.AddPrometheusHttpListener(o => (o.Host, o.Port) = (options.PrometheusHost, port));
            });
        }
        return true;
    }
}
