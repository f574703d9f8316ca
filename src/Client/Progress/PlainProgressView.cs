using System.Globalization;

namespace CoS.Distributed.Client.Progress;

/// <summary>Progress for logs and pipes: one line per interval, and one when the counts change.</summary>
public sealed class PlainProgressView(TextWriter output, TimeSpan interval, TimeSpan pollEvery) : IProgressView
{
    public async Task<SweepProgress> Follow(Func<CancellationToken, Task<SweepProgress>> poll, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(poll);
        string? last = null;
        var lastWritten = DateTimeOffset.MinValue;
        while (true)
        {
            var progress = await poll(cancellation);
            // A line when cells or epochs move (not when only the estimate does), and at least one per interval.
            var state = State(progress);
            var now = DateTimeOffset.UtcNow;
            if (state != last || now - lastWritten >= interval || progress.Status?.Finished == true)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[{progress.Elapsed:hh\\:mm\\:ss}] {Line(progress)}"));
                await output.FlushAsync(cancellation);
                (last, lastWritten) = (state, now);
            }
            if (progress.Status?.Finished == true) return progress;
            await Task.Delay(pollEvery, cancellation);
        }
    }

    private static string State(SweepProgress p) =>
        $"{p.Overall} {p.Overall.Epochs} " + string.Join(",", p.Status?.Cells.Where(c => c.Status == Grains.Interfaces.Cells.CellStatus.Running)
            .Select(c => $"{c.CellId}:{c.CompletedEpochs}") ?? []);

    private static string Line(SweepProgress p)
    {
        var running = p.Status?.Cells.Where(c => c.Status == Grains.Interfaces.Cells.CellStatus.Running)
            .Select(c => $"{c.CellId[..8]} epoch {c.CompletedEpochs + 1}/{c.TotalEpochs}") ?? [];
        var eta = p.Remaining is { } r ? string.Create(CultureInfo.InvariantCulture, $", about {r:hh\\:mm\\:ss} left") : "";
        return string.Create(CultureInfo.InvariantCulture, $"{p.Status?.Name}: {p.Overall}, {p.Overall.Fraction:P0} of epochs{eta}")
            + (running.Any() ? $" | running: {string.Join(", ", running)}" : "");
    }
}
