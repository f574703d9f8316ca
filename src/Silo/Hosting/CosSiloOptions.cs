using Azure.Data.Tables;
using CoS.Distributed.Security.Secrets;
using CoS.Distributed.Security.Tls;
using CoS.Distributed.Silo.Telemetry;
using CoS.Distributed.Silo.Slots;
using CoS.Distributed.Silo.Storage;
using Microsoft.Extensions.Configuration;

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

    /// <summary>The environment variable Azure's tools read a storage connection string from; the fallback in cluster mode.</summary>
    public const string AzureStorageConnectionStringVariable = "AZURE_STORAGE_CONNECTION_STRING";

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

    /// <summary>
    /// Cluster mode: an Azure Storage connection string (Azurite in tests and dev clusters). It is a secret: give it
    /// through the environment (<c>Cos__StorageConnectionString</c>, or <c>AZURE_STORAGE_CONNECTION_STRING</c> when no
    /// other storage setting is given) or <see cref="StorageConnectionStringFile"/>, not as a command-line argument,
    /// which every user of the machine can read in <c>ps</c>.
    /// </summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>
    /// Cluster mode: a file that holds the connection string (a mounted Kubernetes secret, a file only the silo's
    /// user may read); read once at start. Instead of <see cref="StorageConnectionString"/>, not with it.
    /// </summary>
    public string? StorageConnectionStringFile { get; set; }

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

    /// <summary>
    /// Mutual TLS between silos and between clients and this silo's gateway (section Cos:Tls): CertificatePath,
    /// KeyPath, Password or PasswordFile, CaPath, AllowedThumbprints. Off unless CertificatePath is given; every silo
    /// and client of the cluster then needs a certificate the others trust.
    /// </summary>
    public TlsSettings Tls { get; set; } = new();

    /// <summary>
    /// Where traces and metrics go besides OTLP (section Cos:Telemetry: Console, PrometheusPort, PrometheusHost,
    /// OrleansRuntimeSpans); OTLP is configured by the standard OTEL_* environment variables.
    /// </summary>
    public TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>
    /// The options bound from the "Cos" section of <paramref name="configuration"/>; in cluster mode with no storage
    /// setting at all, the connection string comes from <c>AZURE_STORAGE_CONNECTION_STRING</c>.
    /// </summary>
    public static CosSiloOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(Section).Get<CosSiloOptions>() ?? new CosSiloOptions();
        var noStorage = new[] { options.StorageConnectionString, options.StorageConnectionStringFile, options.StorageAccountName }.All(string.IsNullOrWhiteSpace);
        if (options.Mode == HostingMode.Cluster && noStorage) options.StorageConnectionString = NullIfBlank(configuration[AzureStorageConnectionStringVariable]);
        return options;
    }

    /// <summary>The connection string from <see cref="StorageConnectionString"/> or its file; null when neither is given or the file is unusable.</summary>
    public string? StorageConnection() => StorageSecret().Value;

    /// <summary>The TLS credentials, null when TLS is off; run <see cref="Validate"/> first for the problems.</summary>
    public TlsCredentials? LoadTls() => Tls.Load(TlsSetting).Credentials;

    /// <summary>Where grain state and checkpoints go in this mode.</summary>
    public StorageOptions ToStorageOptions() => Mode == HostingMode.Embedded
        ? new StorageOptions { Kind = StorageKind.File, RootDirectory = Path.GetFullPath(DataDirectory), KeepCheckpoints = KeepCheckpoints, Retry = StorageRetry }
        : new StorageOptions
        {
            Kind = StorageKind.AzureBlob,
            ConnectionString = StorageConnection(),
            AccountUrl = StorageAccountName is null ? null : $"https://{StorageAccountName}.blob.core.windows.net",
            KeepCheckpoints = KeepCheckpoints,
            Retry = StorageRetry,
        };

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>(Slots.Validate());
        if (Mode == HostingMode.Embedded && string.IsNullOrWhiteSpace(DataDirectory))
            problems.Add("Cos:DataDirectory is empty: give a folder for grain state and checkpoints, such as .cos");
        if (Mode == HostingMode.Cluster) CheckStorage(problems);
        if (LeaseDuration < TimeSpan.FromSeconds(1))
            problems.Add($"Cos:LeaseDuration is {LeaseDuration}: give at least 00:00:01 (30 s by default), long enough for a few heartbeats");
        if (SiloPort is < 1 or > 65535) problems.Add($"Cos:SiloPort is {SiloPort}: give a TCP port 1-65535");
        if (GatewayPort is < 1 or > 65535) problems.Add($"Cos:GatewayPort is {GatewayPort}: give a TCP port 1-65535");
        if (SiloPort == GatewayPort) problems.Add($"Cos:SiloPort and Cos:GatewayPort are both {SiloPort}: give two different ports");
        if (string.IsNullOrWhiteSpace(ClusterId)) problems.Add("Cos:ClusterId is empty: give the cluster's id, the same on every silo");
        if (AdvertisedAddress is not null && !System.Net.IPAddress.TryParse(AdvertisedAddress, out _))
            problems.Add($"Cos:AdvertisedAddress '{AdvertisedAddress}' is not an IP address");
        problems.AddRange(Telemetry.Validate());
        var tls = Tls.Load(TlsSetting);
        tls.Credentials?.Dispose();
        problems.AddRange(tls.Problems);
        // A problem may quote a setting's value or an exception's message: neither may show a key.
        return [.. problems.Select(p => SecretRedactor.Redact(p)!)];
    }

    private static string TlsSetting(string property) => $"{Section}:Tls:{property}";

    private SecretRead StorageSecret() =>
        SecretSource.Read(StorageConnectionString, StorageConnectionStringFile, "Cos:StorageConnectionString", "Cos:StorageConnectionStringFile");

    private void CheckStorage(List<string> problems)
    {
        var secret = StorageSecret();
        if (secret.Problem is not null)
        {
            problems.Add(secret.Problem);
            return;
        }
        if (secret.Value is null && string.IsNullOrWhiteSpace(StorageAccountName))
        {
            problems.Add("cluster mode needs Azure Storage: give Cos:StorageConnectionString (best through the environment, Cos__StorageConnectionString or "
                + $"{AzureStorageConnectionStringVariable}) or Cos:StorageConnectionStringFile, or Cos:StorageAccountName to sign in with DefaultAzureCredential");
            return;
        }
        if (secret.Value is not null && !string.IsNullOrWhiteSpace(StorageAccountName))
        {
            problems.Add("Cos:StorageAccountName and a connection string are both given: give one (the account name signs in with DefaultAzureCredential, "
                + "the connection string carries its own credentials)");
            return;
        }
        if (secret.Value is null) return;
        try
        {
            _ = new TableServiceClient(secret.Value);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            problems.Add($"the storage connection string is not usable ({e.Message}); give one such as "
                + "'DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net'");
        }
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
