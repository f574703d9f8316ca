using System.CommandLine;
using CoS.Distributed.Client.Connections;

namespace CoS.Distributed.Client.Commands;

/// <summary>The `cos` command line: every command, its options, help with examples, and exit codes.</summary>
public static class CosCommand
{
    public static readonly Option<string?> Cluster = new("--cluster")
    {
        Description = "A running cluster: its Azure Storage connection string, or gateway endpoints host:port[,host:port]. Without it (and without "
            + $"--cluster-file, {ClusterSources.ClusterVariable} or {ClusterSources.ClusterFileVariable}), cos uses an embedded silo in this process. "
            + $"A connection string here shows in `ps`: prefer {ClusterSources.ClusterVariable} or --cluster-file.",
        Recursive = true,
    };

    public static readonly Option<string?> ClusterFile = new("--cluster-file")
    {
        Description = $"A file that holds the --cluster value (a connection string stays out of `ps`); also {ClusterSources.ClusterFileVariable}.",
        Recursive = true,
    };

    public static readonly Option<string?> TlsCertificate = new("--tls-certificate")
    {
        Description = $"Mutual TLS with the cluster: this client's certificate, a PFX or a PEM (key in it or --tls-key); also {ClusterSources.TlsCertificateVariable}. "
            + $"Its password comes from {ClusterSources.TlsPasswordVariable} or --tls-password-file.",
        Recursive = true,
    };

    public static readonly Option<string?> TlsKey = new("--tls-key")
    {
        Description = $"The PEM private key of --tls-certificate when it is not in that file; also {ClusterSources.TlsKeyVariable}.",
        Recursive = true,
    };

    public static readonly Option<string?> TlsPasswordFile = new("--tls-password-file")
    {
        Description = $"A file holding the certificate's password; also {ClusterSources.TlsPasswordFileVariable}, or the password itself in {ClusterSources.TlsPasswordVariable}.",
        Recursive = true,
    };

    public static readonly Option<string?> TlsCa = new("--tls-ca")
    {
        Description = $"PEM file of the CA that signs the silos' certificates; also {ClusterSources.TlsCaVariable}.",
        Recursive = true,
    };

    public static readonly Option<string?> TlsThumbprints = new("--tls-thumbprints")
    {
        Description = $"The silos' certificate thumbprints accepted (SHA-1 or SHA-256 hex, comma-separated), with or instead of --tls-ca; also {ClusterSources.TlsThumbprintsVariable}.",
        Recursive = true,
    };

    public static readonly Option<string> ClusterId = new("--cluster-id")
    {
        Description = "The cluster's id (Cos:ClusterId of its silos).",
        DefaultValueFactory = _ => "cos",
        Recursive = true,
    };

    public static readonly Option<string> DataDirectory = new("--data-dir")
    {
        Description = "Embedded mode: where sweeps, cell state and checkpoints are kept (a stopped run resumes from here).",
        DefaultValueFactory = _ => ".cos",
        Recursive = true,
    };

    public static RootCommand Create(CliContext context)
    {
        var root = new RootCommand("""
            cos: activation-function sweeps on an Orleans cluster — models × activations × seeds, with statistics that say
            whether a difference is real.

            Examples:
              cos run sweeps/quickstart.yaml                       train a sweep here (embedded) and write its report
              cos validate my-sweep.yaml                           check a sweep file without running anything
              COS_CLUSTER="$AZURE_STORAGE_CONNECTION_STRING" cos submit sweeps/paper-cifar10.yaml
              cos watch paper-cifar10 --cluster localhost:30000
              cos report quickstart --format csv --out results/
              cos activations plot relu swish cos "x*tanh(softplus(x))"

            Exit codes: 0 success, 1 user error, 2 finished with failed cells, 130 interrupted (run again to resume).
            """);
        root.Options.Add(Cluster);
        root.Options.Add(ClusterFile);
        root.Options.Add(TlsCertificate);
        root.Options.Add(TlsKey);
        root.Options.Add(TlsPasswordFile);
        root.Options.Add(TlsCa);
        root.Options.Add(TlsThumbprints);
        root.Options.Add(ClusterId);
        root.Options.Add(DataDirectory);
        foreach (var command in SweepCommands.All(context)) root.Subcommands.Add(command);
        root.Subcommands.Add(ActivationsCommand.Create(context));
        root.Subcommands.Add(TraceCommand.Create(context));
        return root;
    }

    /// <summary>The connection the options (and the environment) ask for; a problem with them is reported when connecting.</summary>
    public static ConnectionSettings Connection(ParseResult result) => Connection(result, Environment.GetEnvironmentVariable);

    /// <inheritdoc cref="Connection(ParseResult)"/>
    public static ConnectionSettings Connection(ParseResult result, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(result);
        var cluster = ClusterSources.Cluster(result.GetValue(Cluster), result.GetValue(ClusterFile), environment);
        var tls = ClusterSources.Tls(result.GetValue(TlsCertificate), result.GetValue(TlsKey), result.GetValue(TlsPasswordFile),
            result.GetValue(TlsCa), result.GetValue(TlsThumbprints), environment);
        return ConnectionSettings.From(cluster, result.GetValue(ClusterId)!, result.GetValue(DataDirectory)!, tls);
    }
}
