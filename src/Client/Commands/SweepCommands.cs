using System.CommandLine;
using System.Diagnostics;
using CoS.Distributed.Client.Connections;
using CoS.Distributed.Client.Progress;
using CoS.Distributed.Client.Reports;
using CoS.Distributed.Client.Sweeps;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Scheduling;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Grains.Interfaces.Telemetry;
using CoS.Distributed.Grains.Sweeps;
using CoS.Distributed.Silo.Storage;

namespace CoS.Distributed.Client.Commands;

/// <summary>run, submit, watch, status, cancel, resume, report and validate.</summary>
public static partial class SweepCommands
{
    private static readonly Argument<FileInfo> SweepFileArgument = new("sweep.yaml") { Description = "The sweep file (see src/Client/Sweeps/FORMAT.md)." };
    private static readonly Argument<string> SweepName = new("sweep") { Description = "The sweep's name (its file's `name:`, or the file name)." };

    public static IEnumerable<Command> All(CliContext context)
    {
        yield return Run(context);
        yield return Submit(context);
        yield return Watch(context);
        yield return Status(context);
        yield return Cancel(context);
        yield return Resume(context);
        yield return Report(context);
        yield return Validate(context);
    }

    private static Command Run(CliContext context)
    {
        var slots = new Option<int?>("--slots") { Description = "Embedded mode: CPU slots training at once (default: one per core, at most 4)." };
        var threads = new Option<int?>("--threads-per-slot") { Description = "Embedded mode: torch threads per slot (default: the cores divided among the slots)." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Where the report and plots go (default: reports/<sweep>)." };
        var resume = new Option<bool>("--resume") { Description = "Resume the sweep first if it was cancelled (see `cos resume`)." };
        var traceFile = TraceCommand.TraceFileOption();
        var command = new Command("run", """
            Runs a sweep to its end and writes its report (Markdown, CSV, JSON) and plots. Embedded by default: a silo
            in this process trains the cells, keeping state under --data-dir, so Ctrl-C stops cleanly and running the
            same command again resumes. With --cluster it submits to that cluster and follows it instead. A sweep that
            was cancelled (`cos cancel`) is not run again unless --resume is given.

            Examples:
              cos run sweeps/quickstart.yaml
              cos run my-sweep.yaml --slots 2 --threads-per-slot 1 --out results/my-sweep
              cos run my-sweep.yaml --resume
            """) { SweepFileArgument, slots, threads, output, resume, traceFile };
        command.SetAction(async (result, cancellation) =>
        {
            if (Load(context, result.GetValue(SweepFileArgument)!) is not { } spec) return ExitCodes.UserError;
            var settings = CosCommand.Connection(result) with { TraceFile = result.GetValue(traceFile)?.FullName };
            var slotCount = result.GetValue(slots) ?? Math.Clamp(Environment.ProcessorCount, 1, 4);
            if (slotCount < 1) return Fail(context, "--slots must be at least 1");
            return await WithConnection(context, settings, slotCount, result.GetValue(threads), async connection =>
            {
                if (result.GetValue(resume) && await connection.Grains.GetGrain<ISweepGrain>(spec.Name).Resume())
                    await context.Output.WriteLineAsync($"sweep '{spec.Name}' resumed");
                if (!await Submitted(context, connection, spec)) return ExitCodes.UserError;
                var progress = await Follow(context, connection, spec.Name, cancellation);
                return await WriteReport(context, connection, spec.Name, result.GetValue(output)?.FullName, progress);
            }, cancellation);
        });
        return command;
    }

    private static Command Submit(CliContext context)
    {
        var command = new Command("submit", """
            Submits a sweep to a cluster and returns; the cluster runs it without this client.
            Submitting the same file again changes nothing; a different sweep under an existing name is refused.

            Example:
              cos submit sweeps/paper-cifar10.yaml --cluster "$AZURE_STORAGE_CONNECTION_STRING"
            """) { SweepFileArgument };
        command.SetAction(async (result, cancellation) =>
        {
            if (Load(context, result.GetValue(SweepFileArgument)!) is not { } spec) return ExitCodes.UserError;
            var settings = CosCommand.Connection(result);
            if (settings.Cluster is null)
                return Fail(context, "submit needs --cluster (a storage connection string or host:port); to run here, use `cos run`");
            return await WithConnection(context, settings, 0, null, async connection =>
                await Submitted(context, connection, spec) ? ExitCodes.Success : ExitCodes.UserError, cancellation);
        });
        return command;
    }

    private static Command Watch(CliContext context)
    {
        var command = new Command("watch", """
            Follows a sweep until it finishes: progress per group, running cells with their epoch, and an ETA.
            Example: cos watch paper-cifar10 --cluster localhost:30000
            """) { SweepName };
        command.SetAction(async (result, cancellation) =>
            await WithConnection(context, CosCommand.Connection(result), 0, null, async connection =>
            {
                if (!await Exists(context, connection, result.GetValue(SweepName)!)) return ExitCodes.UserError;
                var progress = await Follow(context, connection, result.GetValue(SweepName)!, cancellation);
                return progress.Overall.Failed > 0 ? ExitCodes.FailedCells : ExitCodes.Success;
            }, cancellation));
        return command;
    }

    private static Command Status(CliContext context)
    {
        var name = new Argument<string?>("sweep") { Description = "A sweep's name; without it, the cluster's queue.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", """
            Shows a sweep's cells by group (done, running with epoch, pending, failed with errors), or without a name
            the cluster's queue: active sweeps, pending and running cells.
            Example: cos status quickstart
            """) { name };
        command.SetAction(async (result, cancellation) =>
            await WithConnection(context, CosCommand.Connection(result), 0, null, async connection =>
            {
                if (result.GetValue(name) is not { } sweep)
                {
                    var queue = await connection.Grains.GetGrain<ISchedulerGrain>(0).GetStatus();
                    await context.Output.WriteLineAsync($"{queue.ActiveSweeps.Count} active sweep(s): {string.Join(", ", queue.ActiveSweeps)}");
                    await context.Output.WriteLineAsync($"{queue.Pending} cell(s) pending, {queue.Leased} running");
                    return ExitCodes.Success;
                }
                if (!await Exists(context, connection, sweep)) return ExitCodes.UserError;
                var progress = new SweepProgress();
                progress.Update(await connection.Grains.GetGrain<ISweepGrain>(sweep).GetStatus());
                await WriteStatus(context, progress);
                return progress.Overall.Failed > 0 ? ExitCodes.FailedCells : ExitCodes.Success;
            }, cancellation));
        return command;
    }

    private static Command Report(CliContext context)
    {
        var format = new Option<string>("--format") { Description = "md, csv or json.", DefaultValueFactory = _ => "md" };
        format.AcceptOnlyFromAmong("md", "csv", "json");
        var output = new Option<DirectoryInfo?>("--out") { Description = "Where to write it (default: reports/<sweep>); plots go beside it." };
        var command = new Command("report", """
            Writes a sweep's report: per model, each activation's time per epoch, test loss and accuracy (mean ± std,
            n, 95 % CI), and each activation against the baseline (Welch and paired t-tests, bootstrap CI,
            probability of improvement, Holm-adjusted p, a verdict, and the seeds needed for 80 % power); plots beside it.
            Examples:
              cos report quickstart
              cos report paper-cifar10 --format json --out results/ --cluster localhost:30000
            """) { SweepName, format, output };
        command.SetAction(async (result, cancellation) =>
            await WithConnection(context, CosCommand.Connection(result), 0, null, async connection =>
            {
                var sweep = result.GetValue(SweepName)!;
                if (!await Exists(context, connection, sweep)) return ExitCodes.UserError;
                var progress = new SweepProgress();
                progress.Update(await connection.Grains.GetGrain<ISweepGrain>(sweep).GetStatus());
                return await WriteReport(context, connection, sweep, result.GetValue(output)?.FullName, progress,
                    ReportOutput.ParseFormat(result.GetValue(format)!));
            }, cancellation));
        return command;
    }

    private static Command Validate(CliContext context)
    {
        var command = new Command("validate", """
            Checks a sweep file without running anything: every YAML and sweep problem with its line, and the cells
            and groups it expands to.
            Example: cos validate sweeps/quickstart.yaml
            """) { SweepFileArgument };
        command.SetAction(result =>
        {
            if (Load(context, result.GetValue(SweepFileArgument)!) is not { } spec) return ExitCodes.UserError;
            var cells = SweepExpansion.Expand(spec);
            context.Output.WriteLine($"{spec.Name}: valid, {cells.Count} cell(s) in {cells.Select(c => c.GroupId).Distinct().Count()} group(s)");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Reads and validates a sweep file; prints every problem with its line and returns null when there are any.</summary>
    private static SweepSpec? Load(CliContext context, FileInfo file)
    {
        var loaded = SweepFile.Load(file.FullName);
        if (loaded.Errors.Count == 0) return loaded.Spec;
        context.Error.WriteLine($"{file.Name}: {loaded.Errors.Count} problem(s); nothing was started:");
        foreach (var error in loaded.Errors) context.Error.WriteLine($"  {error}");
        return null;
    }

    private static async Task<int> WithConnection(CliContext context, ConnectionSettings settings, int slots, int? threads,
        Func<ClusterConnection, Task<int>> work, CancellationToken cancellation)
    {
        ClusterConnection connection;
        try
        {
            connection = await CliContext.Connect(settings, slots, threads, cancellation);
        }
        catch (Exception e) when (e is DataDirectoryBusyException or ClusterUnreachableException or ArgumentException)
        {
            return Fail(context, e.Message);
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Interrupted;
        }
        await using (connection)
        {
            try
            {
                return await work(connection);
            }
            catch (ArgumentException e)
            {
                return Fail(context, e.Message);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                await context.Error.WriteLineAsync(connection.Embedded
                    ? "stopped: running cells hand back their last checkpoint; run the same command again to resume"
                    : "stopped following; the cluster keeps running the sweep");
                return ExitCodes.Interrupted;
            }
        }
    }

    private static async Task<bool> Submitted(CliContext context, ClusterConnection connection, SweepSpec spec)
    {
        // The root of the sweep's trace: the grains' submit joins it, and every attempt of every cell links to it.
        using var span = CosTelemetry.Source.StartActivity("cos submit", ActivityKind.Client);
        span?.SetTag(CosTags.Sweep, spec.Name);
        var submitted = await connection.Grains.GetGrain<ISweepGrain>(spec.Name).Submit(spec);
        if (!submitted.Accepted) span?.SetStatus(ActivityStatusCode.Error, "refused");
        if (!submitted.Accepted)
        {
            await context.Error.WriteLineAsync($"sweep '{spec.Name}' was refused:");
            foreach (var problem in submitted.Problems) await context.Error.WriteLineAsync($"  {problem}");
            return false;
        }
        if (submitted.AlreadySubmitted && (await connection.Grains.GetGrain<ISweepGrain>(spec.Name).GetStatus()).Cancelled)
        {
            await context.Error.WriteLineAsync(
                $"sweep '{spec.Name}' was cancelled, so nothing runs: `cos resume {spec.Name}` continues it from its checkpoints " +
                "(or `cos run <file> --resume`); to start afresh, give the sweep another name");
            return false;
        }
        await context.Output.WriteLineAsync(submitted.AlreadySubmitted
            ? $"sweep '{spec.Name}' ({submitted.CellCount} cells) was already submitted: continuing it on the {connection.Description}"
            : $"sweep '{spec.Name}': {submitted.CellCount} cells submitted to the {connection.Description}");
        return true;
    }

    private static async Task<bool> Exists(CliContext context, ClusterConnection connection, string sweep)
    {
        if ((await connection.Grains.GetGrain<ISweepGrain>(sweep).GetStatus()).Exists) return true;
        await context.Error.WriteLineAsync($"there is no sweep named '{sweep}' on the {connection.Description}; check the name (`name:` in its file), --data-dir or --cluster");
        return false;
    }

    private static Task<SweepProgress> Follow(CliContext context, ClusterConnection connection, string sweep, CancellationToken cancellation)
    {
        var grain = connection.Grains.GetGrain<ISweepGrain>(sweep);
        var progress = new SweepProgress();
        return context.ProgressView().Follow(async _ =>
        {
            progress.Update(await grain.GetStatus());
            return progress;
        }, cancellation);
    }

    private static int Fail(CliContext context, string message)
    {
        context.Error.WriteLine($"cos: {message}");
        return ExitCodes.UserError;
    }
}
