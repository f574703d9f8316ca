using CoS.Distributed.Client.Connections;
using CoS.Distributed.Client.Progress;
using CoS.Distributed.Security.Logging;
using CoS.Distributed.Security.Secrets;
using CoS.Distributed.Security.Tls;
using Spectre.Console;

namespace CoS.Distributed.Client.Commands;

/// <summary>What every command shares: where output goes, whether it is a terminal, and how to reach the cluster.</summary>
/// <remarks>
/// Errors, and plain output, pass through <see cref="RedactingTextWriter"/>: whatever a command prints, an exception's
/// message included, shows no account key or SAS signature. Live terminal output is left as it is (it is redrawn in
/// place and shows progress, not errors).
/// </remarks>
public sealed class CliContext(TextWriter output, TextWriter error, bool interactive)
{
    public TextWriter Output { get; } = interactive ? output : TextWriter.Synchronized(new RedactingTextWriter(output));
    public TextWriter Error { get; } = TextWriter.Synchronized(new RedactingTextWriter(error));

    /// <summary>True on a terminal: live progress bars; false in logs and pipes: plain periodic lines.</summary>
    public bool Interactive { get; } = interactive;

    public TimeSpan PollEvery { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan PlainInterval { get; init; } = TimeSpan.FromSeconds(10);

    public static CliContext ForConsole() => new(Console.Out, Console.Error, !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive);

    public IProgressView ProgressView() => Interactive
        ? new LiveProgressView(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Output) }), PollEvery)
        : new PlainProgressView(Output, PlainInterval, PollEvery);

    /// <summary>The embedded silo on the data directory (slots 0: it trains nothing), or the cluster given by --cluster.</summary>
    public static Task<ClusterConnection> Connect(ConnectionSettings settings, int slots, int? threadsPerSlot, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Problem is { } problem) throw new ArgumentException(problem);
        return settings.Cluster is { } cluster
            ? ClusterConnection.Connect(cluster, settings.ClusterId, settings.Tls, settings.TraceFile, cancellation)
            : ClusterConnection.StartEmbedded(settings.DataDirectory, slots, threadsPerSlot, settings.TraceFile, cancellation);
    }
}

/// <summary>--cluster (or its file or variable), --cluster-id, --data-dir and the TLS settings as one value.</summary>
/// <param name="Cluster">
/// The cluster's address; null for embedded mode. When <see cref="Problem"/> is set it only says where the address was
/// to come from, so that a command that needs a cluster goes on to connect, and connecting reports the problem.
/// </param>
public sealed record ConnectionSettings(string? Cluster, string ClusterId, string DataDirectory)
{
    /// <summary>Mutual TLS with the cluster; not given when no TLS setting is.</summary>
    public TlsSettings Tls { get; init; } = new();

    /// <summary>Where the spans of this process (and of its embedded silo) are appended as OTLP JSON; null for nowhere.</summary>
    public string? TraceFile { get; init; }

    /// <summary>Why the cluster or TLS settings cannot be used (both --cluster and --cluster-file, an unreadable file …).</summary>
    public string? Problem { get; init; }

    /// <summary>The settings from the cluster as read (<see cref="ClusterSources.Cluster"/>) and the TLS settings.</summary>
    public static ConnectionSettings From(SecretRead cluster, string clusterId, string dataDirectory, TlsSettings tls)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(tls);
        var problems = new List<string>();
        if (cluster.Problem is not null) problems.Add(cluster.Problem);
        if (cluster.Value is not null)
        {
            // Checked here so that every TLS problem is reported before connecting; the embedded silo uses no TLS.
            var load = tls.Load(ClusterSources.TlsName);
            load.Credentials?.Dispose();
            problems.AddRange(load.Problems);
        }
        return new ConnectionSettings(cluster.Value ?? (problems.Count > 0 ? "(the cluster settings above)" : null), clusterId, dataDirectory)
        {
            Tls = tls,
            Problem = problems.Count == 0 ? null : SecretRedactor.Redact(string.Join("; ", problems)),
        };
    }
}
