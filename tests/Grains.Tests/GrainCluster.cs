using CoS.Distributed.Grains;
using CoS.Distributed.Grains.Placement;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Storage;
using Orleans.TestingHost;
using CoS.Distributed.Testing.Faults;

namespace CoS.Distributed.Grains.Tests;

/// <summary>A real in-process Orleans cluster with the CoS grains, memory grain storage and fast failure detection.</summary>
public sealed class GrainCluster : IAsyncLifetime
{
    private const string InnerStorage = "cos-inner";

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            // Memory storage behind a wrapper that fails the writes a test chooses.
            silo.AddMemoryGrainStorage(InnerStorage);
            silo.Services.AddKeyedSingleton<IGrainStorage>(CosGrainStorage.Name,
                (services, _) => new FaultyGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(InnerStorage)));
            silo.AddIncomingGrainCallFilter<FaultInjectionFilter>();
            silo.UseInMemoryReminderService();
            silo.UseSiloMetadata(new Dictionary<string, string> { [SlotMetadata.SlotCount] = "2" });
            silo.AddCosGrains(o =>
            {
                o.LeaseCheckInterval = TimeSpan.FromMilliseconds(200);
                o.LeaseDuration = TimeSpan.FromSeconds(3);
                o.ReconcileInterval = TimeSpan.FromSeconds(2);
            });
            silo.Services.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class GrainClusterTests : ICollectionFixture<GrainCluster>
{
    public const string Name = "Orleans cluster";
}
