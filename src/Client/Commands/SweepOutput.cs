using CoS.Distributed.Client.Connections;
using CoS.Distributed.Client.Progress;
using CoS.Distributed.Client.Reports;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Client.Commands;

/// <summary>What the sweep commands print and write at the end: the report and the status table.</summary>
public static partial class SweepCommands
{
    private static async Task<int> WriteReport(CliContext context, ClusterConnection connection, string sweep, string? outDirectory,
        SweepProgress progress, ReportFormat? only = null)
    {
        var status = progress.Status!;
        var groups = await connection.Grains.GetGrain<ISweepGrain>(sweep).GetStatistics();
        var folder = outDirectory ?? Path.Combine("reports", sweep);
        var written = ReportOutput.Write(status, groups, folder, only);
        if (!context.Interactive || only is null or ReportFormat.Markdown) await context.Output.WriteLineAsync(ReportOutput.Summary(status, groups));
        await context.Output.WriteLineAsync($"report and plots: {string.Join(", ", written.Select(p => Path.GetRelativePath(Environment.CurrentDirectory, p)))}");
        if (!status.Finished) await context.Output.WriteLineAsync($"note: the sweep is not finished ({progress.Overall}); the report covers the finished cells");
        var failed = status.Cells.Where(c => c.Status == CellStatus.Failed).ToList();
        foreach (var cell in failed) await context.Error.WriteLineAsync($"cell {cell.CellId} failed after {cell.Attempt} attempt(s): {cell.Error}");
        return failed.Count > 0 ? ExitCodes.FailedCells : ExitCodes.Success;
    }

    private static async Task WriteStatus(CliContext context, SweepProgress progress)
    {
        var status = progress.Status!;
        await context.Output.WriteLineAsync($"{status.Name}: {progress.Overall}{(status.Cancelled ? " (cancelled)" : "")}");
        foreach (var (group, label, counts) in progress.Groups)
        {
            await context.Output.WriteLineAsync($"  {label}: {counts}");
            foreach (var cell in status.Cells.Where(c => c.GroupId == group && c.Status is CellStatus.Running or CellStatus.Failed or CellStatus.Diverged))
                await context.Output.WriteLineAsync(cell.Status == CellStatus.Running
                    ? $"    {cell.CellId} running epoch {cell.CompletedEpochs + 1}/{cell.TotalEpochs} on {cell.Slot} (attempt {cell.Attempt})"
                    : $"    {cell.CellId} {cell.Status.ToString().ToLowerInvariant()}: {cell.Error}");
        }
    }
}
