using CoS.Distributed.Client.Connections;
using CoS.Distributed.Client.Progress;
using Spectre.Console;

namespace CoS.Distributed.Client.Commands;

/// <summary>What every command shares: where output goes, whether it is a terminal, and how to reach the cluster.</summary>
public sealed class CliContext(TextWriter output, TextWriter error, bool interactive)
{
    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;

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
        return settings.Cluster is { } cluster
            ? ClusterConnection.Connect(cluster, settings.ClusterId, cancellation)
            : ClusterConnection.StartEmbedded(settings.DataDirectory, slots, threadsPerSlot, cancellation);
    }
}

/// <summary>--cluster, --cluster-id and --data-dir as one value.</summary>
public sealed record ConnectionSettings(string? Cluster, string ClusterId, string DataDirectory);
