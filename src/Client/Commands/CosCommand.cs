using System.CommandLine;

namespace CoS.Distributed.Client.Commands;

/// <summary>The `cos` command line: every command, its options, help with examples, and exit codes.</summary>
public static class CosCommand
{
    public static readonly Option<string?> Cluster = new("--cluster")
    {
        Description = "A running cluster: its Azure Storage connection string, or gateway endpoints host:port[,host:port]. Without it, cos uses an embedded silo in this process.",
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
              cos submit sweeps/paper-cifar10.yaml --cluster "$AZURE_STORAGE_CONNECTION_STRING"
              cos watch paper-cifar10 --cluster localhost:30000
              cos report quickstart --format csv --out results/
              cos activations plot relu swish cos "x*tanh(softplus(x))"

            Exit codes: 0 success, 1 user error, 2 finished with failed cells, 130 interrupted (run again to resume).
            """);
        root.Options.Add(Cluster);
        root.Options.Add(ClusterId);
        root.Options.Add(DataDirectory);
        foreach (var command in SweepCommands.All(context)) root.Subcommands.Add(command);
        root.Subcommands.Add(ActivationsCommand.Create(context));
        return root;
    }

    public static ConnectionSettings Connection(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ConnectionSettings(result.GetValue(Cluster), result.GetValue(ClusterId)!, result.GetValue(DataDirectory)!);
    }
}
