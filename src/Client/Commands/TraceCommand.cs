using System.CommandLine;
using System.Globalization;
using CoS.Distributed.Client.Traces;

namespace CoS.Distributed.Client.Commands;

/// <summary>`cos trace`: a sweep's timeline from its spans, and `cos run --trace-file` that writes them.</summary>
public static class TraceCommand
{
    /// <summary>The option of `cos run` that writes the run's spans (embedded silo and client) to a file for `cos trace`.</summary>
    public static Option<FileInfo?> TraceFileOption() => new("--trace-file")
    {
        Description = "Append the run's spans (the embedded silo's and this client's) to FILE as OTLP JSON, one request per line; `cos trace` draws them.",
    };

    public static Command Create(CliContext context)
    {
        var sweep = new Argument<string>("sweep") { Description = "The sweep's name (the cos.sweep attribute of its spans)." };
        var spans = new Option<FileInfo>("--spans")
        {
            Description = "OTLP JSON spans: a file from `cos run --trace-file`, Cos:Telemetry:TraceFile or the Collector's file exporter, " +
                "or one JSON document such as the Aspire dashboard's /api/telemetry/traces.",
            Required = true,
        };
        var output = new Option<FileInfo?>("--out") { Description = "The PNG to write (default: reports/<sweep>/timeline.png)." };
        var top = new Option<int>("--top") { Description = "How many of the slowest epochs to list.", DefaultValueFactory = _ => 5 };
        var command = new Command("trace", """
            Draws a sweep's timeline from its spans: a row per slot, a bar per attempt coloured by activation, attempts
            that were killed, fenced or handed back marked with a red X; then lists the slowest epochs and sums up
            attempts, slots, wall time and retries.

            Examples:
              cos run sweeps/quickstart.yaml --trace-file spans.jsonl
              cos trace quickstart --spans spans.jsonl --out timeline.png
              curl -s http://localhost:18888/api/telemetry/traces > traces.json && cos trace paper-cifar10 --spans traces.json
            """) { sweep, spans, output, top };
        command.SetAction(result => Run(context, result.GetValue(sweep)!, result.GetValue(spans)!, result.GetValue(output), result.GetValue(top)));
        return command;
    }

    private static int Run(CliContext context, string sweep, FileInfo spanFile, FileInfo? output, int top)
    {
        if (top < 0) return Fail(context, "--top must be 0 or more");
        IReadOnlyList<TraceSpan> spans;
        try
        {
            spans = SpanFile.Read(spanFile.FullName);
        }
        catch (SpanFileException e)
        {
            return Fail(context, e.Message);
        }
        if (spans.Count == 0) return Fail(context, $"the span file '{spanFile.FullName}' holds no spans; run with --trace-file (or Cos:Telemetry:TraceFile) and give that file");
        if (SweepTimeline.Build(spans, sweep) is not { } timeline)
        {
            var sweeps = SweepTimeline.SweepsIn(spans);
            return Fail(context, sweeps.Count == 0
                ? $"the span file '{spanFile.FullName}' has {spans.Count} span(s) but no cell attempts of any sweep"
                : $"the span file '{spanFile.FullName}' has no attempts of sweep '{sweep}'; it has: {string.Join(", ", sweeps)}");
        }
        var path = TimelinePlot.Write(timeline, output?.FullName ?? Path.Combine("reports", sweep, "timeline.png"));
        context.Output.WriteLine($"timeline: {Path.GetRelativePath(Environment.CurrentDirectory, path)}");
        var slowest = timeline.SlowestEpochs(top);
        if (slowest.Count > 0) context.Output.WriteLine($"slowest {slowest.Count} epoch(s):");
        foreach (var epoch in slowest)
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {epoch.Attempt.CellLabel} epoch {epoch.Epoch}: {epoch.Seconds:0.00} s on {epoch.Attempt.Slot.Label} (attempt {epoch.Attempt.Attempt})"));
        context.Output.WriteLine(timeline.Summary());
        return ExitCodes.Success;
    }

    private static int Fail(CliContext context, string message)
    {
        context.Error.WriteLine($"cos: {message}");
        return ExitCodes.UserError;
    }
}
