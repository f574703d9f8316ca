using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CoS.Distributed.Client.Commands;
using CoS.Distributed.Client.Plots;
using CoS.Distributed.Client.Tests.EndToEnd;

namespace CoS.Distributed.Client.Tests.Traces;

/// <summary>
/// `cos run --trace-file` on real Fashion-MNIST cells, interrupted and resumed, with a second `cos` process appending to
/// the same file; then `cos trace` on it. What the timeline shows is checked against the attempts read from the file.
/// </summary>
public sealed class TracedRunTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cos-traced-run-").FullName;

    private static string Sweep(string name, string activations, int seeds, int epochs) => $"""
        name: {name}
        dataset:
          name: fashion-mnist
          train_per_class: 30
          test_per_class: 10
        models: [small_cnn]
        activations: [{activations}]
        baseline: relu
        seeds: {seeds}
        training:
          epochs: {epochs}
          batch_size: 32
          learning_rate: 0.05
        """;

    private string Write(string name, string content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>An attempt as the file says, read with JsonDocument rather than the tool's reader.</summary>
    private sealed record FileAttempt(string SpanId, string Activation, long Seed, long Attempt, string Silo, long Slot, string Outcome, long Start, long End);

    private static Dictionary<string, JsonElement> Attributes(JsonElement span) =>
        span.GetProperty("attributes").EnumerateArray().ToDictionary(a => a.GetProperty("key").GetString()!, a => a.GetProperty("value"));

    private static List<JsonElement> AllSpans(string file) =>
        [.. File.ReadAllLines(file).SelectMany(line => JsonDocument.Parse(line).RootElement.GetProperty("resourceSpans").EnumerateArray())
            .SelectMany(r => r.GetProperty("scopeSpans").EnumerateArray()).SelectMany(s => s.GetProperty("spans").EnumerateArray())];

    private static long Nanos(JsonElement span, string name) => long.Parse(span.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    private static List<FileAttempt> Attempts(List<JsonElement> spans, string sweep) =>
        [.. spans.Where(s => s.GetProperty("name").GetString() == "cell.attempt")
            .Select(s => (Span: s, Tags: Attributes(s)))
            .Where(s => s.Tags["cos.sweep"].GetProperty("stringValue").GetString() == sweep)
            .Select(s => new FileAttempt(s.Span.GetProperty("spanId").GetString()!,
                s.Tags["cos.activation"].GetProperty("stringValue").GetString()!,
                long.Parse(s.Tags["cos.seed"].GetProperty("intValue").GetString()!, CultureInfo.InvariantCulture),
                long.Parse(s.Tags["cos.attempt"].GetProperty("intValue").GetString()!, CultureInfo.InvariantCulture),
                s.Tags["cos.silo"].GetProperty("stringValue").GetString()!,
                long.Parse(s.Tags["cos.slot"].GetProperty("intValue").GetString()!, CultureInfo.InvariantCulture),
                s.Tags["cos.outcome"].GetProperty("stringValue").GetString()!,
                Nanos(s.Span, "startTimeUnixNano"), Nanos(s.Span, "endTimeUnixNano")))];

    /// <summary>The same `cos` tool in another process (the build's cos.dll beside the tests), appending to the same span file.</summary>
    private static Process OtherProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(CosCommand).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    [Fact]
    public async Task TheTimelineOfARealInterruptedAndResumedRunShowsEveryAttemptOnItsSlotAndTheHandedBackOnesMarked()
    {
        var spanFile = Path.Combine(folder, "spans", "run.jsonl");
        var sweep = Write("traced.yaml", Sweep("traced-tiny", "relu, cos", 3, 2));
        var data = Path.Combine(folder, "data");
        var first = await CosRunner.RunUntilTheFirstCheckpoint(data, "run", sweep, "--data-dir", data, "--out", Path.Combine(folder, "first"), "--slots", "2",
            "--threads-per-slot", "1", "--trace-file", spanFile);
        Assert.True(first.ExitCode == 130, first.ToString());

        // The resumed run here and another sweep in another process append to the one file at once.
        using var other = OtherProcess("run", Write("other.yaml", Sweep("traced-other", "relu", 1, 1)), "--data-dir", Path.Combine(folder, "other-data"),
            "--out", Path.Combine(folder, "other"), "--slots", "1", "--threads-per-slot", "1", "--trace-file", spanFile);
        var second = await CosRunner.Run("run", sweep, "--data-dir", data, "--out", Path.Combine(folder, "second"), "--slots", "2",
            "--threads-per-slot", "1", "--trace-file", spanFile);
        Assert.True(second.ExitCode == 0, second.ToString());
        var otherOutput = other.StandardOutput.ReadToEndAsync();
        var otherError = other.StandardError.ReadToEndAsync();
        await other.WaitForExitAsync();
        Assert.True(other.ExitCode == 0, $"{await otherOutput}\n{await otherError}");

        var spans = AllSpans(spanFile);
        var attempts = Attempts(spans, "traced-tiny");
        Assert.Single(Attempts(spans, "traced-other"));
        Assert.Equal(6, attempts.Where(a => a.Outcome == "completed").Select(a => (a.Activation, a.Seed)).Distinct().Count());
        var cutShort = attempts.Where(a => a.Outcome is "handed_back" or "fenced" or "failed" or "abandoned" or "cancelled").ToList();
        Assert.NotEmpty(cutShort);

        var png = Path.Combine(folder, "timeline.png");
        var trace = await CosRunner.Run("trace", "traced-tiny", "--spans", spanFile, "--out", png, "--top", "3");
        Assert.True(trace.ExitCode == 0, trace.ToString());

        // Rows from the top: silos in the order they began to train, each one's slots by index.
        var lanes = attempts.Select(a => (a.Silo, a.Slot)).Distinct()
            .OrderBy(l => attempts.Where(a => a.Silo == l.Silo).Min(a => a.Start)).ThenBy(l => l.Silo, StringComparer.Ordinal).ThenBy(l => l.Slot).ToList();
        var origin = attempts.Min(a => a.Start);
        double Seconds(long nanos) => (nanos - origin) / 1e9;
        var image = TimelineImage.Load(png, lanes.Count, attempts.Max(a => Seconds(a.End)));
        for (var row = 0; row < lanes.Count; row++)
            foreach (var activation in new[] { "relu", "cos" })
            {
                var expected = attempts.Count(a => (a.Silo, a.Slot) == lanes[row] && a.Activation == activation);
                Assert.True(expected == image.BarsOf(ActivationStyle.BuiltInColour(activation)!.Value, row),
                    $"{lanes[row]}: {expected} {activation} attempt(s) in the file, {image.BarsOf(ActivationStyle.BuiltInColour(activation)!.Value, row)} bar(s) in the picture");
            }
        foreach (var attempt in cutShort)
            Assert.True(image.MarkedAt(lanes.IndexOf((attempt.Silo, attempt.Slot)), Seconds(attempt.End)), $"{attempt} is not marked");
        for (var row = 0; row < lanes.Count; row++)
            if (!cutShort.Any(a => (a.Silo, a.Slot) == lanes[row])) Assert.Equal(0, image.RedIn(row));

        // The slowest epochs listed are real epochs of real attempts, longest first.
        var bySpan = attempts.ToDictionary(a => a.SpanId);
        var epochs = spans.Where(s => s.GetProperty("name").GetString() == "epoch" && s.TryGetProperty("parentSpanId", out var p) && bySpan.ContainsKey(p.GetString()!))
            .Select(s => (Attempt: bySpan[s.GetProperty("parentSpanId").GetString()!], Epoch: Attributes(s)["cos.epoch"].GetProperty("intValue").GetString(),
                Seconds: (Nanos(s, "endTimeUnixNano") - Nanos(s, "startTimeUnixNano")) / 1e9))
            .OrderByDescending(e => e.Seconds).ToList();
        Assert.True(epochs.Count >= 12, $"{epochs.Count} epoch spans");
        var listed = trace.Output.Split('\n').SkipWhile(l => !l.StartsWith("slowest", StringComparison.Ordinal)).Skip(1).Take(3).ToList();
        for (var i = 0; i < 3; i++)
        {
            var e = epochs[i];
            Assert.StartsWith(string.Create(CultureInfo.InvariantCulture,
                $"  small_cnn·{e.Attempt.Activation}·seed {e.Attempt.Seed} epoch {e.Epoch}: {e.Seconds:0.00} s on {e.Attempt.Silo.Split('@')[0]} · slot {e.Attempt.Slot}"),
                listed[i], StringComparison.Ordinal);
        }
        Assert.Contains(string.Create(CultureInfo.InvariantCulture,
            $"traced-tiny: {attempts.Count} attempt(s) of 6 cell(s) on {lanes.Count} slot(s), wall time {attempts.Max(a => Seconds(a.End)):0.0} s, {attempts.Count - 6} retr"),
            trace.Output, StringComparison.Ordinal);

        var unknown = await CosRunner.Run("trace", "nosuch", "--spans", spanFile);
        Assert.Contains("it has: traced-other, traced-tiny", unknown.Error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A silo still releasing files must not fail the test; the temp folder is cleaned by the OS.
        }
    }
}
