using CoS.Distributed.Silo.Slots;
using CoS.Distributed.Silo.Storage;

namespace CoS.Distributed.Silo.Hosting;

public enum HostingMode
{
    /// <summary>One process, no services: localhost clustering, grain state and checkpoints under DataDirectory.</summary>
    Embedded,

    /// <summary>Any number of silos: Azure Table membership and reminders, Azure Blob grain state and checkpoints.</summary>
    Cluster,
}

/// <summary>Configuration section "Cos": how this silo joins a cluster, where it stores things, and its slots.</summary>
public sealed class CosSiloOptions
{
    public const string Section = "Cos";

    public HostingMode Mode { get; set; } = HostingMode.Embedded;

    /// <summary>Embedded mode: grain state and checkpoints live here, so a stopped run continues when started again.</summary>
    public string DataDirectory { get; set; } = ".cos";

    /// <summary>This silo's name in the cluster's membership (defaults to Orleans' generated one).</summary>
    public string? SiloName { get; set; }

    public string ClusterId { get; set; } = "cos";
    public string ServiceId { get; set; } = "cos-distributed";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Address other silos reach this one at; loopback when not given.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Cluster mode: an Azure Storage connection string (Azurite in tests and dev clusters).</summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>Cluster mode alternative: account name for DefaultAzureCredential (blob and table endpoints derived).</summary>
    public string? StorageAccountName { get; set; }

    /// <summary>Evict a dead silo in about a second instead of about ten (tests, dev clusters).</summary>
    public bool FastFailureDetection { get; set; }

    public SlotOptions Slots { get; set; } = new();

    /// <summary>Retries of storage calls (checkpoints and grain state) while storage is unreachable.</summary>
    public StorageRetryOptions StorageRetry { get; set; } = new();

    /// <summary>
    /// How long the scheduler lends a cell without hearing from its slot: slots renew their leases every third of it
    /// (at most every Slots:HeartbeatInterval); a lease that lapses is fenced and its cell queued again, whether or not
    /// the silo is still alive. Set it on every silo alike (the scheduler's own silo decides).
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Checkpoints kept per cell by default (a sweep can ask for more).</summary>
    public int KeepCheckpoints { get; set; } = 2;

    /// <summary>Where grain state and checkpoints go in this mode.</summary>
    public StorageOptions ToStorageOptions() => Mode == HostingMode.Embedded
        ? new StorageOptions { Kind = StorageKind.File, RootDirectory = Path.GetFullPath(DataDirectory), KeepCheckpoints = KeepCheckpoints, Retry = StorageRetry }
        : new StorageOptions
        {
            Kind = StorageKind.AzureBlob,
            ConnectionString = StorageConnectionString,
            AccountUrl = StorageAccountName is null ? null : $"https://{StorageAccountName}.blob.core.windows.net",
            KeepCheckpoints = KeepCheckpoints,
            Retry = StorageRetry,
        };

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>(Slots.Validate());
        if (Mode == HostingMode.Embedded && string.IsNullOrWhiteSpace(DataDirectory))
            problems.Add("Cos:DataDirectory is empty: give a folder for grain state and checkpoints, such as .cos");
        if (Mode == HostingMode.Cluster && string.IsNullOrWhiteSpace(StorageConnectionString) && string.IsNullOrWhiteSpace(StorageAccountName))
            problems.Add("cluster mode needs Azure Storage: give Cos:StorageConnectionString, or Cos:StorageAccountName to sign in with DefaultAzureCredential");
        if (LeaseDuration < TimeSpan.FromSeconds(1))
            problems.Add($"Cos:LeaseDuration is {LeaseDuration}: give at least 00:00:01 (30 s by default), long enough for a few heartbeats");
        if (SiloPort is < 1 or > 65535) problems.Add($"Cos:SiloPort is {SiloPort}: give a TCP port 1-65535");
        if (GatewayPort is < 1 or > 65535) problems.Add($"Cos:GatewayPort is {GatewayPort}: give a TCP port 1-65535");
        if (SiloPort == GatewayPort) problems.Add($"Cos:SiloPort and Cos:GatewayPort are both {SiloPort}: give two different ports");
        if (string.IsNullOrWhiteSpace(ClusterId)) problems.Add("Cos:ClusterId is empty: give the cluster's id, the same on every silo");
        if (AdvertisedAddress is not null && !System.Net.IPAddress.TryParse(AdvertisedAddress, out _))
            problems.Add($"Cos:AdvertisedAddress '{AdvertisedAddress}' is not an IP address");
        return problems;
    }
}
