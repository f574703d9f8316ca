using CoS.Distributed.Grains;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Silo.Slots;
using CoS.Distributed.Silo.Storage;
using CoS.Distributed.Testing.Faults;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.TestingHost;

namespace CoS.Distributed.Silo.Tests.Faults;

/// <summary>
/// A real in-process cluster running the product's slot workers and trainer on real Fashion-MNIST: a silo without
/// slots and one with two CPU slots, file grain state and checkpoints in a temp folder. Every silo applies the fault
/// rules of <see cref="CallFaults"/> and <see cref="FaultyGrainStorage"/>; leases last 3 s so that lapses show quickly.
/// </summary>
public sealed class SlotCluster : IAsyncLifetime
{
    private const string InnerStorage = "cos-files";

    public string Root { get; } = Directory.CreateTempSubdirectory("cos-slots-").FullName;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((silo, host) =>
        {
            var slots = silo.SiloName.EndsWith('1') ? 2 : 0;
            host.AddCosGrains(o =>
            {
                o.LeaseDuration = TimeSpan.FromSeconds(3);
                o.LeaseCheckInterval = TimeSpan.FromMilliseconds(200);
                o.ReconcileInterval = TimeSpan.FromSeconds(1);
            });
            host.UseInMemoryReminderService();
            host.AddFileGrainStorage(InnerStorage, o => o.RootDirectory = Path.Combine(Root, "grains"));
            host.Services.AddKeyedSingleton<IGrainStorage>(CosGrainStorage.Name,
                (services, _) => new FaultyGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(InnerStorage)));
            host.AddIncomingGrainCallFilter<FaultInjectionFilter>();
            host.AddActivityPropagation();
            host.Services.AddCheckpointStorage(o =>
            {
                o.Kind = StorageKind.File;
                o.RootDirectory = Root;
            });
            // Slots set LibTorch's thread count for the whole process (threads that start torch work later take it up):
            // keep the count the process already has, so the trainer tests' bitwise comparisons elsewhere hold.
            host.AddSlots(new SlotOptions { CpuSlots = slots, ThreadsPerSlot = TorchSharp.torch.get_num_threads(), UseGpus = false, IdlePoll = TimeSpan.FromMilliseconds(50) });
            host.Services.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            });
        });
        builder.ConfigureClient(client => client.AddActivityPropagation());
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>Four cells (ReLU and CoS, two seeds) of a few hundred images, two epochs: seconds each.</summary>
    public static SweepSpec Sweep(string name) => new()
    {
        Name = name,
        Datasets = [new DatasetSpec { Name = "fashion-mnist", TrainPerClass = 20, TestPerClass = 10, SubsetSeed = 2 }],
        Models = ["small_cnn"],
        Activations = ["relu", "cos"],
        Seeds = [7, 8],
        Training = new HyperParameterAxes { Epochs = [2], BatchSizes = [40], LearningRates = [0.05] },
        BaselineActivation = "relu",
        MaxAttempts = 2,
    };

    /// <summary>Submits and waits for the sweep to finish (every cell final and its statistics complete).</summary>
    public async Task<SweepStatus> Run(SweepSpec spec, TimeSpan timeout)
    {
        var sweep = Grains.GetGrain<ISweepGrain>(spec.Name);
        var submitted = await sweep.Submit(spec);
        Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await sweep.GetStatus();
            if (status.Finished) return status;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"sweep {spec.Name} not finished after {timeout}: " +
                    string.Join("; ", status.Cells.Select(c => $"{c.CellId} {c.Status} {c.CompletedEpochs}/{c.TotalEpochs} attempt {c.Attempt} {c.Slot} {c.Error}")));
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}

/// <summary>Runs alone: whole sweeps on two slots are what loads the machine most in this project's tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SlotClusterTests : ICollectionFixture<SlotCluster>
{
    public const string Name = "Slots on an in-process cluster";
}
