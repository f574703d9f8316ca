using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using CoS.Distributed.Security.Logging;
using CoS.Distributed.Security.Secrets;
using CoS.Distributed.Security.Tls;
using CoS.Distributed.Silo.Hosting;
using CoS.Distributed.Silo.Storage;
using CoS.Distributed.Silo.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace CoS.Distributed.Client.Connections;

/// <summary>
/// Where the CLI's grain calls go: an embedded silo hosted in this process (the default: one process, no
/// services, state under a data directory), or a running cluster reached as an Orleans client.
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost host;
    private readonly DataDirectoryLock? dataLock;

    private ClusterConnection(IHost host, string description, DataDirectoryLock? dataLock)
    {
        this.host = host;
        this.dataLock = dataLock;
        Description = description;
        Grains = host.Services.GetRequiredService<IGrainFactory>();
    }

    public IGrainFactory Grains { get; }
    public string Description { get; }
    public bool Embedded => dataLock is not null;

    /// <summary>
    /// Starts a silo in this process on <paramref name="dataDirectory"/>. With <paramref name="slots"/> = 0 it only
    /// answers questions (status, reports) and trains nothing. Sweeps stored there continue where they stopped. With
    /// <paramref name="traceFile"/>, the spans of the process (silo and client alike) are appended there as OTLP JSON.
    /// </summary>
    public static async Task<ClusterConnection> StartEmbedded(string dataDirectory, int slots, int? threadsPerSlot, string? traceFile,
        CancellationToken cancellation)
    {
        var root = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(root);
        var dataLock = DataDirectoryLock.Take(root, "pass --data-dir with another folder");
        try
        {
            var options = new CosSiloOptions
            {
                Mode = HostingMode.Embedded,
                DataDirectory = root,
                SiloPort = FreePort(),
                GatewayPort = FreePort(),
                Slots = { CpuSlots = slots, ThreadsPerSlot = threadsPerSlot },
                Telemetry = { TraceFile = traceFile },
            };
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = root, Args = [] });
            LogToFile(builder.Logging, Path.Combine(root, "logs"));
            builder.Services.AddSecretRedaction();
            builder.UseOrleans(silo => silo.AddCos(options));
            var host = builder.Build();
            await host.StartAsync(cancellation);
            return new ClusterConnection(host, $"embedded silo on {root} ({(slots == 0 ? "no slots" : $"{slots} slot(s)")})", dataLock);
        }
        catch
        {
            dataLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects to a running cluster. <paramref name="cluster"/> is an Azure Storage connection string (the
    /// cluster's membership table), or gateway endpoints "host:port[,host:port…]". With <paramref name="tls"/> given,
    /// the connection to the gateways is mutual TLS (the silos must run with TLS too). With <paramref name="traceFile"/>,
    /// this client's spans are appended there as OTLP JSON.
    /// </summary>
    public static async Task<ClusterConnection> Connect(string cluster, string clusterId, TlsSettings? tls, string? traceFile,
        CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cluster);
        var credentials = tls?.Load(ClusterSources.TlsName) switch
        {
            null => null,
            { Problems.Count: > 0 } load => throw new ArgumentException(SecretRedactor.Redact(string.Join("; ", load.Problems))),
            var load => load.Credentials,
        };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSecretRedaction();
        if (credentials is not null) builder.Services.AddSingleton(credentials);
        // The client's spans (cos submit, its grain calls) join the silos' traces; exported when OTEL_* asks.
        builder.Services.AddCosTelemetry(new TelemetryOptions { TraceFile = traceFile }, "cos", null);
        builder.UseOrleansClient(client =>
        {
            client.AddActivityPropagation();
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = "cos-distributed";
            });
            if (ClusterAddress.IsConnectionString(cluster))
                client.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(cluster));
            else
                client.UseStaticClustering(ClusterAddress.Gateways(cluster));
            if (credentials is not null) client.UseMutualTls(credentials);
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            var tlsHint = credentials is null ? "" : ", that they run with TLS and trust this client's certificate (and it theirs)";
            throw new ClusterUnreachableException(SecretRedactor.Redact(
                $"could not reach the cluster '{cluster}' (cluster id '{clusterId}'): {e.Message}. Check that its silos run, the address, and --cluster-id{tlsHint}.")!, e);
        }
        return new ClusterConnection(host, $"cluster '{ClusterAddress.Redacted(cluster)}'", null);
    }

    /// <summary>Stops the embedded silo gracefully: running attempts are handed back with their checkpoints.</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await host.StopAsync(timeout.Token);
        }
        finally
        {
            host.Dispose();
            dataLock?.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void LogToFile(ILoggingBuilder logging, string folder)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("CoS", LogLevel.Information);
        logging.AddProvider(new FileLoggerProvider(Path.Combine(folder, $"cos-{DateTime.UtcNow:yyyyMMdd}.log")));
    }
}

public sealed class ClusterUnreachableException(string message, Exception inner) : Exception(message, inner);
