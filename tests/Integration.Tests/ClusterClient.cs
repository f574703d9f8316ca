using Azure.Data.Tables;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace CoS.Distributed.Integration.Tests;

/// <summary>An Orleans client of a test cluster (Azure Table membership) or of an embedded silo (localhost gateway).</summary>
public sealed class ClusterClient : IAsyncDisposable
{
    private readonly IHost host;

    private ClusterClient(IHost host)
    {
        this.host = host;
        Grains = (IClusterClient)host.Services.GetService(typeof(IClusterClient))!;
    }

    public IClusterClient Grains { get; }

    public static Task<ClusterClient> ConnectToCluster(string storageConnectionString, string clusterId) =>
        Connect(client => client
            .UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(storageConnectionString))
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = "cos-distributed";
            }));

    public static Task<ClusterClient> ConnectToEmbedded(int gatewayPort) =>
        Connect(client => client.UseLocalhostClustering(gatewayPort, serviceId: "cos-distributed", clusterId: "cos"));

    private static async Task<ClusterClient> Connect(Action<IClientBuilder> configure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Error);
            builder.UseOrleansClient(configure);
            var host = builder.Build();
            try
            {
                await host.StartAsync();
                return new ClusterClient(host);
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                host.Dispose();
                await Task.Delay(500);
            }
        }
    }

    /// <summary>Polls the sweep until every cell is finished, or fails with the last status and the silos' logs.</summary>
    public async Task<SweepStatus> WaitUntilFinished(string sweep, TimeSpan timeout, Func<string> logs, Func<SweepStatus, Task>? onPoll = null)
    {
        var grain = Grains.GetGrain<ISweepGrain>(sweep);
        var deadline = DateTime.UtcNow + timeout;
        SweepStatus? status = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                status = await grain.GetStatus();
                if (status.Finished) return status;
                if (onPoll is not null) await onPoll(status);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                // The silo hosting the sweep grain may have just died (a call in flight to it times out); the next call
                // reactivates it elsewhere.
            }
            await Task.Delay(250);
        }
        var table = status is null ? "no status" : string.Join("\n", status.Cells.Select(c => $"  {c.CellId} {c.Status} epochs {c.CompletedEpochs}/{c.TotalEpochs} attempt {c.Attempt} {c.Slot} {c.Error}"));
        throw new TimeoutException($"sweep {sweep} not finished after {timeout}:\n{table}\n{logs()}");
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
