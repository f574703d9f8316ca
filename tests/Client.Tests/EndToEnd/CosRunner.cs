using System.CommandLine;
using CoS.Distributed.Client.Commands;

namespace CoS.Distributed.Client.Tests.EndToEnd;

/// <summary>Runs the real `cos` command line in this process, without a terminal, capturing what it prints.</summary>
internal static class CosRunner
{
    public sealed record Outcome(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }

    public static async Task<Outcome> Run(CancellationToken cancellation, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(TextWriter.Synchronized(output), TextWriter.Synchronized(error), interactive: false)
        {
            PollEvery = TimeSpan.FromMilliseconds(200),
            PlainInterval = TimeSpan.FromSeconds(2),
        };
        var exit = await CosCommand.Create(context).Parse(args).InvokeAsync(new InvocationConfiguration(), cancellation);
        return new Outcome(exit, output.ToString(), error.ToString());
    }

    public static Task<Outcome> Run(params string[] args) => Run(CancellationToken.None, args);

    /// <summary>
    /// Runs `cos` and interrupts it (as Ctrl-C does) as soon as the first checkpoint is on disk under the data
    /// directory: some cells are done or running, the rest pending, and running cells are handed back mid-way.
    /// </summary>
    public static async Task<Outcome> RunUntilTheFirstCheckpoint(string dataDirectory, params string[] args)
    {
        using var interrupt = new CancellationTokenSource();
        var checkpoints = Path.Combine(dataDirectory, "checkpoints");
        var watcher = Task.Run(async () =>
        {
            while (!interrupt.IsCancellationRequested)
            {
                if (Directory.Exists(checkpoints) && Directory.EnumerateFiles(checkpoints, "*.ckpt", SearchOption.AllDirectories).Any())
                {
                    await interrupt.CancelAsync();
                    return;
                }
                await Task.Delay(50);
            }
        });
        var outcome = await Run(interrupt.Token, args);
        await watcher;
        return outcome;
    }
}
