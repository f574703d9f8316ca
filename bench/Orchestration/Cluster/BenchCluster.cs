using System.Net;
using System.Net.Sockets;
using CoS.Distributed.Grains;
using CoS.Distributed.Orchestration.Bench.Profiling;
using CoS.Distributed.Silo.Cells;
using CoS.Distributed.Silo.Hosting;
using CoS.Distributed.Silo.Slots;
using CoS.Distributed.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace CoS.Distributed.Orchestration.Bench.Cluster;

/// <summary>
/// Several real silos in this process, each built by the product's own AddCos in embedded mode (localhost
/// clustering, the file-backed grain storage, slot workers on dedicated threads), joined into one cluster by
/// pointing every silo at the first one as its primary. All silos share one data directory: a grain's state must be
/// readable by whichever silo activates it. That is safe because the file grain storage locks each grain's file across
/// storage instances and processes, and allowed because the data-directory lock is shared by the silos of one process.
/// Only the cell trainer is replaced, by registering it before AddCos.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private readonly List<IHost> silos;

    private BenchCluster(List<IHost> silos) => this.silos = silos;

    public IReadOnlyList<IServiceProvider> Silos => [.. silos.Select(s => s.Services)];

    public IGrainFactory Grains(int silo) => silos[silo].Services.GetRequiredService<IGrainFactory>();

    public string SiloAddress(int silo) => silos[silo].Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();

    public static async Task<BenchCluster> Start(int siloCount, int slotsPerSilo, string dataDirectory, ICellTrainer trainer, CallTimings? profile)
    {
        var hosts = new List<IHost>();
        IPEndPoint? primary = null;
        for (var i = 0; i < siloCount; i++)
        {
            var options = new CosSiloOptions
            {
                Mode = HostingMode.Embedded,
                DataDirectory = dataDirectory,
                SiloName = $"bench-silo-{i}",
                ClusterId = "cos-bench",
                SiloPort = FreePort(),
                GatewayPort = FreePort(),
                Slots = new SlotOptions { CpuSlots = slotsPerSilo, ThreadsPerSlot = 1, UseGpus = false },
            };
            primary ??= new IPEndPoint(IPAddress.Loopback, options.SiloPort);
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            // Everything to stderr: stdout carries the report.
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
                .Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            var seed = primary;
            builder.UseOrleans(silo =>
            {
                silo.Services.AddSingleton(trainer);
                silo.AddCos(options);
                silo.Configure<DevelopmentClusterMembershipOptions>(o => o.PrimarySiloEndpoint = seed);
                if (profile is not null) AddProfiling(silo, profile);
            });
            var host = builder.Build();
            await host.StartAsync();
            hosts.Add(host);
        }
        var cluster = new BenchCluster(hosts);
        await cluster.WaitForMembers(siloCount, TimeSpan.FromSeconds(60));
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        // All at once, and not for long: the measurements are taken, only the data directory still has to go.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Task.WhenAll(silos.Select(s => s.StopAsync(patience.Token)));
        foreach (var host in silos) host.Dispose();
    }

    private async Task WaitForMembers(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var seen = silos.Select(s => s.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values
                .Count(m => m.Status == SiloStatus.Active)).ToList();
            if (seen.All(n => n == count)) return;
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"the silos did not form one cluster of {count} within {timeout}: they see {string.Join(", ", seen)} active silos");
            await Task.Delay(100);
        }
    }

    private static void AddProfiling(ISiloBuilder silo, CallTimings timings)
    {
        silo.AddIncomingGrainCallFilter(timings.Incoming);
        silo.AddOutgoingGrainCallFilter(timings.Outgoing);
        // Registered after AddCos, so this keyed registration is the one grains resolve.
        silo.Services.AddKeyedSingleton<IGrainStorage>(CosGrainStorage.Name, (services, _) => new TimedGrainStorage(
            new FileGrainStorage(
                CosGrainStorage.Name,
                services.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(CosGrainStorage.Name),
                services.GetRequiredService<IGrainStorageSerializer>(),
                services.GetRequiredService<IActivatorProvider>()),
            timings));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
