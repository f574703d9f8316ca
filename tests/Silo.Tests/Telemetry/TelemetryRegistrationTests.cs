using System.Net;
using System.Net.Sockets;
using CoS.Distributed.Silo.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CoS.Distributed.Silo.Tests.Telemetry;

/// <summary>What <see cref="TelemetryServiceExtensions.AddCosTelemetry"/> creates for each configuration, checked on a real host.</summary>
public sealed class TelemetryRegistrationTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static IHost Host(TelemetryOptions options, Func<string, string?> environment, out bool on)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        on = builder.Services.AddCosTelemetry(options, "cos-test", "instance-1", environment);
        return builder.Build();
    }

    [Fact]
    public void WithNoExporterConfiguredNoProviderAndNoExporterIsCreated()
    {
        using var host = Host(new TelemetryOptions(), NoEnvironment, out var on);
        Assert.False(on);
        Assert.Null(host.Services.GetService<TracerProvider>());
        Assert.Null(host.Services.GetService<MeterProvider>());
    }

    [Fact]
    public void AnOtlpEndpointInTheEnvironmentTurnsTracingAndMetricsOn()
    {
        using var host = Host(new TelemetryOptions(), name => name == "OTEL_EXPORTER_OTLP_ENDPOINT" ? "http://127.0.0.1:4317" : null, out var on);
        Assert.True(on);
        Assert.NotNull(host.Services.GetService<TracerProvider>());
        Assert.NotNull(host.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task APrometheusPortServesTheProjectsMetricsForScraping()
    {
        var port = FreePort();
        using var host = Host(new TelemetryOptions { PrometheusPort = port, PrometheusHost = "127.0.0.1" }, NoEnvironment, out var on);
        Assert.True(on);
        Assert.Null(host.Services.GetService<TracerProvider>());
        await host.StartAsync();
        _ = host.Services.GetRequiredService<MeterProvider>();
        // An instrument of the project's meter, recorded now: the scrape must show it under its Prometheus name.
        Grains.Interfaces.Telemetry.CosTelemetry.Meter.CreateCounter<long>("cos.test.scrapes", "{scrape}").Add(3);
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        Assert.Contains("cos_test_scrapes_total", text, StringComparison.Ordinal);
        // .NET runtime metrics ride along (GC, thread pool, …).
        Assert.Matches("(?m)^(process_runtime_)?dotnet_", text);
        await host.StopAsync();
    }

    [Fact]
    public void InvalidTelemetrySettingsAreListed()
    {
        var problems = new TelemetryOptions { PrometheusPort = 70000, PrometheusHost = " " }.Validate();
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("Cos:Telemetry:PrometheusPort is 70000", StringComparison.Ordinal));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
