using System.Net;
using Azure.Data.Tables;
using Azure.Identity;
using CoS.Distributed.Grains;
using CoS.Distributed.Grains.Placement;
using CoS.Distributed.Security.Tls;
using CoS.Distributed.Silo.Cells;
using CoS.Distributed.Silo.Slots;
using CoS.Distributed.Silo.Storage;
using CoS.Distributed.Silo.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace CoS.Distributed.Silo.Hosting;

/// <summary>Configures a silo for either hosting mode from the same code.</summary>
public static class CosSiloBuilder
{
    public static ISiloBuilder AddCos(this ISiloBuilder silo, CosSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0) throw new OptionsValidationException(CosSiloOptions.Section, typeof(CosSiloOptions), problems);

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        if (options.SiloName is { } siloName) silo.Configure<SiloOptions>(o => o.SiloName = siloName);
        silo.AddCosGrains(o => o.LeaseDuration = options.LeaseDuration);
        if (options.FastFailureDetection)
        {
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            });
        }

        var storage = options.ToStorageOptions();
        if (options.Mode == HostingMode.Embedded)
        {
            silo.AddDataDirectoryLock(storage.RootDirectory!);
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, null, options.ServiceId, options.ClusterId);
            silo.UseInMemoryReminderService();
        }
        else
        {
            var address = options.AdvertisedAddress is null ? IPAddress.Loopback : IPAddress.Parse(options.AdvertisedAddress);
            silo.ConfigureEndpoints(address, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: options.AdvertisedAddress is not null);
            var tables = TableClient(options);
            silo.UseAzureStorageClustering(o => o.TableServiceClient = tables);
            silo.UseAzureTableReminderService(o => o.TableServiceClient = tables);
        }
        if (options.LoadTls() is { } tls)
        {
            silo.Services.AddSingleton(tls);
            silo.UseMutualTls(tls);
        }
        silo.AddGrainStorage(CosGrainStorage.Name, storage);
        silo.Services.AddCheckpointStorage(o => Copy(storage, o));

        silo.AddSlots(options.Slots);

        // Grain calls carry the caller's trace (client → sweep → cells); spans are only made when a provider listens.
        silo.AddActivityPropagation();
        silo.Services.AddCosTelemetry(options.Telemetry, "cos-silo", options.SiloName);
        return silo;
    }

    /// <summary>The membership and reminder tables: from a connection string, or an account with DefaultAzureCredential.</summary>
    public static TableServiceClient TableClient(CosSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.StorageConnection() is { } connectionString
            ? new TableServiceClient(connectionString)
            : new TableServiceClient(new Uri($"https://{options.StorageAccountName}.table.core.windows.net"), new DefaultAzureCredential());
    }

    private static void Copy(StorageOptions from, StorageOptions to)
    {
        to.Kind = from.Kind;
        to.RootDirectory = from.RootDirectory;
        to.ConnectionString = from.ConnectionString;
        to.AccountUrl = from.AccountUrl;
        to.KeepCheckpoints = from.KeepCheckpoints;
        to.Retry = from.Retry;
    }
}
