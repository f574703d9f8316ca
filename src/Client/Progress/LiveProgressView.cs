using System.Globalization;
using Spectre.Console;

namespace CoS.Distributed.Client.Progress;

/// <summary>Live progress on a terminal: an overall bar and one bar per group, with counts, epochs of running cells and an ETA.</summary>
public sealed class LiveProgressView(IAnsiConsole console, TimeSpan pollEvery) : IProgressView
{
    public async Task<SweepProgress> Follow(Func<CancellationToken, Task<SweepProgress>> poll, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(poll);
        var first = await poll(cancellation);
        SweepProgress current = first;
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async context =>
            {
                var overall = context.AddTask("overall", maxValue: Math.Max(1, first.Overall.TotalEpochs));
                var groups = first.Groups.ToDictionary(g => g.Group, g => context.AddTask(g.Label, maxValue: Math.Max(1, g.Counts.TotalEpochs)));
                while (true)
                {
                    overall.Value = current.Overall.Epochs;
                    var eta = current.Remaining is { } r ? string.Create(CultureInfo.InvariantCulture, $", ~{r:hh\\:mm\\:ss} left") : "";
                    overall.Description = Markup.Escape($"{current.Status?.Name}: {current.Overall}{eta}");
                    foreach (var (group, label, counts) in current.Groups)
                    {
                        if (!groups.TryGetValue(group, out var task)) continue;
                        task.Value = counts.Epochs;
                        var running = current.Status!.Cells.Where(c => c.GroupId == group && c.Status == Grains.Interfaces.Cells.CellStatus.Running)
                            .Select(c => $"ep {c.CompletedEpochs + 1}/{c.TotalEpochs}");
                        task.Description = Markup.Escape($"  {label}: {counts.Done}/{counts.Total} done"
                            + (counts.Running > 0 ? $", running {string.Join(" ", running)}" : "")
                            + (counts.Failed > 0 ? $", {counts.Failed} failed" : "")
                            + (counts.Diverged > 0 ? $", {counts.Diverged} diverged" : ""));
                    }
                    context.Refresh();
                    if (current.Status?.Finished == true) return;
                    await Task.Delay(pollEvery, cancellation);
                    current = await poll(cancellation);
                }
            });
        return current;
    }
}
