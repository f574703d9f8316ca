namespace CoS.Distributed.Silo.Telemetry;

/// <summary>
/// Configuration section "Cos:Telemetry": where traces and metrics go besides OTLP. OTLP itself is configured the
/// standard way, by the OTEL_* environment variables (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL grpc or
/// http/protobuf, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, …). With none of these, no provider and no exporter is
/// created at all.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>Write spans and metrics to the console (for debugging).</summary>
    public bool Console { get; set; }

    /// <summary>Serve the metrics for Prometheus to scrape at http://PrometheusHost:PrometheusPort/metrics.</summary>
    public int? PrometheusPort { get; set; }

    /// <summary>The host the Prometheus endpoint listens on: localhost by default, "*" (or an address) for a cluster's scraper.</summary>
    public string PrometheusHost { get; set; } = "localhost";

    /// <summary>
    /// Append spans to this file as OTLP/JSON, one export request per line (the Collector file exporter's format), for
    /// `cos trace`. Several processes may share one file. Turns tracing on by itself.
    /// </summary>
    public string? TraceFile { get; set; }

    /// <summary>Also record Orleans' runtime spans (membership, timers, system targets): many, and rarely wanted.</summary>
    public bool OrleansRuntimeSpans { get; set; }

    /// <summary>Whether an OTLP endpoint is given by the standard environment variables.</summary>
    public static bool OtlpConfigured(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return new[] { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT" }
            .Any(name => !string.IsNullOrWhiteSpace(environment(name)));
    }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (PrometheusPort is < 1 or > 65535) problems.Add($"Cos:Telemetry:PrometheusPort is {PrometheusPort}: give a TCP port 1-65535 (9464 is Prometheus' usual one for OpenTelemetry), or leave it out");
        if (string.IsNullOrWhiteSpace(PrometheusHost)) problems.Add("Cos:Telemetry:PrometheusHost is empty: give localhost, * or an address");
        if (TraceFile is not null && (string.IsNullOrWhiteSpace(TraceFile) || TraceFile.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
            problems.Add($"Cos:Telemetry:TraceFile is '{TraceFile}': give a file path (spans are appended to it), or leave it out");
        return problems;
    }
}
