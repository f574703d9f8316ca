using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoS.Distributed.Client.Plots;
using CoS.Distributed.Client.Tests.EndToEnd;
using CoS.Distributed.Client.Traces;

namespace CoS.Distributed.Client.Tests.Traces;

/// <summary>
/// `cos trace` on spans written by the real exporter: the timeline PNG checked from its pixels (bars per slot and
/// activation, red X marks on attempts cut short), the slowest epochs, the summary, and the errors a user can cause.
/// </summary>
public sealed class CosTraceTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cos-trace-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(folder, name);

    /// <summary>
    /// Three slots: silo-a/0, silo-a/1, silo-b/0 (rows 0, 1, 2). A cell fenced on a/0 is retried on b/0; a cell handed
    /// back on a/1 resumes there at once (two ReLU bars back to back); one abandoned a moment after it began.
    /// </summary>
    private string MarkedSweep()
    {
        var file = Path("marked.jsonl");
        using var spans = new RecordedSpans(file);
        spans.Attempt("marked", "c1", "relu", 1, 1, "silo-a", 0, "completed", 0, 10, (0.5, 5), (5, 9.5));
        spans.Attempt("marked", "c2", "cos", 1, 1, "silo-a", 0, "fenced", 10.02, 14, (10.5, 13.9));
        spans.Attempt("marked", "c2", "cos", 1, 2, "silo-b", 0, "completed", 14.5, 26, (14.6, 18), (18, 25.9));
        spans.Attempt("marked", "c3", "relu", 2, 1, "silo-a", 1, "handed_back", 0.2, 8, (0.3, 7.9));
        spans.Attempt("marked", "c3", "relu", 2, 2, "silo-a", 1, "completed", 8.01, 20, (8.1, 19.9));
        spans.Attempt("marked", "c4", "cos", 2, 1, "silo-a", 1, "abandoned", 20.05, 20.1);
        spans.Attempt("marked", "c4", "cos", 2, 2, "silo-a", 0, "completed", 21, 30, (21, 25), (25, 29.9));
        spans.Attempt("elsewhere", "e1", "swish", 1, 1, "silo-c", 0, "completed", 0, 3);
        using (spans.Source.StartActivity("unrelated")) { }
        return file;
    }

    [Fact]
    public async Task TheTimelineDrawsABarPerAttemptOnItsSlotAndMarksEveryAttemptCutShort()
    {
        var file = MarkedSweep();
        var png = Path("timeline.png");
        var result = await CosRunner.Run("trace", "marked", "--spans", file, "--out", png, "--top", "2");
        Assert.True(result.ExitCode == 0, result.ToString());

        var image = TimelineImage.Load(png, lanes: 3, wallSeconds: 30);
        var relu = ActivationStyle.BuiltInColour("relu")!.Value;
        var cos = ActivationStyle.BuiltInColour("cos")!.Value;
        Assert.Equal([1, 2, 0], Enumerable.Range(0, 3).Select(row => image.BarsOf(relu, row)));
        Assert.Equal([2, 1, 1], Enumerable.Range(0, 3).Select(row => image.BarsOf(cos, row)));
        Assert.True(image.MarkedAt(0, 14), "the fenced attempt on silo-a/0 has no X at its end");
        Assert.True(image.MarkedAt(1, 8), "the handed-back attempt on silo-a/1 has no X at its end");
        Assert.True(image.MarkedAt(1, 20.1), "the abandoned attempt on silo-a/1 has no X at its end");
        Assert.False(image.MarkedAt(0, 10), "a completed attempt is marked");
        Assert.False(image.MarkedAt(0, 30), "a completed attempt is marked");
        Assert.Equal(0, image.RedIn(2));

        Assert.Contains("slowest 2 epoch(s):", result.Output, StringComparison.Ordinal);
        Assert.Contains("small_cnn·relu·seed 2 epoch 1: 11.80 s on silo-a · slot 1 (attempt 2)", result.Output, StringComparison.Ordinal);
        Assert.Contains("small_cnn·cos·seed 1 epoch 2: 7.90 s on silo-b · slot 0 (attempt 2)", result.Output, StringComparison.Ordinal);
        Assert.Contains("marked: 7 attempt(s) of 4 cell(s) on 3 slot(s), wall time 30.0 s, 3 retries, 3 not completed", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void TheReaderGetsBackEveryFieldTheExporterWrote()
    {
        var file = Path("fields.jsonl");
        ActivityContext submit, attempt;
        using (var spans = new RecordedSpans(file, "silo-7"))
        {
            using (var span = spans.Source.StartActivity("cos submit", ActivityKind.Client, default(ActivityContext), startTime: spans.Origin)!)
            {
                submit = span.Context;
                span.SetTag("cos.cells", 12L);
                span.SetTag("ratio", 0.5);
                span.SetTag("accepted", true);
                span.SetStatus(ActivityStatusCode.Error, "refused");
                span.AddEvent(new ActivityEvent("leased", spans.Origin.AddSeconds(0.25), new ActivityTagsCollection { ["cos.lease.id"] = "L1" }));
                span.SetEndTime(spans.Origin.AddSeconds(0.5).UtcDateTime);
            }
            using (var span = spans.Source.StartActivity("cell.attempt", ActivityKind.Internal, default(ActivityContext),
                links: [new ActivityLink(submit, new ActivityTagsCollection { ["cos.link"] = "sweep.submit" })], startTime: spans.Origin.AddSeconds(1))!)
            {
                attempt = span.Context;
                using (var child = spans.Source.StartActivity("epoch")!) child.SetTag("cos.epoch", 1);
                span.SetEndTime(spans.Origin.AddSeconds(2.5).UtcDateTime);
            }
        }

        var read = SpanFile.Read(file).ToDictionary(s => s.Name);
        var cosSubmit = read["cos submit"];
        Assert.Equal(submit.TraceId.ToHexString(), cosSubmit.TraceId);
        Assert.Equal(submit.SpanId.ToHexString(), cosSubmit.SpanId);
        Assert.Null(cosSubmit.ParentSpanId);
        Assert.Equal(3, cosSubmit.Kind);
        Assert.Equal(new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc), cosSubmit.Start);
        Assert.Equal(TimeSpan.FromSeconds(0.5), cosSubmit.Duration);
        Assert.Equal(12L, cosSubmit.Attributes["cos.cells"]);
        Assert.Equal(0.5, cosSubmit.Attributes["ratio"]);
        Assert.Equal(true, cosSubmit.Attributes["accepted"]);
        Assert.Equal((2, "refused"), (cosSubmit.StatusCode, cosSubmit.StatusMessage));
        var leased = Assert.Single(cosSubmit.Events);
        Assert.Equal(("leased", cosSubmit.Start.AddSeconds(0.25), "L1"), (leased.Name, leased.Time, leased.Attributes["cos.lease.id"]));
        Assert.Equal(("cos-silo", "silo-7"), (cosSubmit.Service, cosSubmit.ServiceInstance));
        Assert.StartsWith("CoS.Tests.Traces.", cosSubmit.Scope, StringComparison.Ordinal);

        var cellAttempt = read["cell.attempt"];
        Assert.Equal(attempt.SpanId.ToHexString(), cellAttempt.SpanId);
        Assert.Equal(1, cellAttempt.Kind);
        var link = Assert.Single(cellAttempt.Links);
        Assert.Equal((submit.TraceId.ToHexString(), submit.SpanId.ToHexString(), "sweep.submit"), (link.TraceId, link.SpanId, link.Attributes["cos.link"]));
        Assert.Equal(attempt.SpanId.ToHexString(), read["epoch"].ParentSpanId);
        Assert.Equal(attempt.TraceId.ToHexString(), read["epoch"].TraceId);
        Assert.Equal(1L, read["epoch"].Attributes["cos.epoch"]);
    }

    [Fact]
    public async Task OneJsonDocumentOfTheSameShapeIsReadLikeTheFileOfLines()
    {
        var lines = MarkedSweep();
        // The Aspire dashboard's /api/telemetry/traces shape: every resourceSpans in one indented document, nested under "data".
        var merged = new JsonArray([.. File.ReadAllLines(lines).SelectMany(l => JsonNode.Parse(l)!["resourceSpans"]!.AsArray().Select(r => r!.DeepClone()))]);
        var document = Path("traces.json");
        File.WriteAllText(document, new JsonObject { ["data"] = new JsonObject { ["resourceSpans"] = merged }, ["totalCount"] = 1 }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        Assert.Equal(SpanFile.Read(lines).Count, SpanFile.Read(document).Count);
        var result = await CosRunner.Run("trace", "marked", "--spans", document, "--out", Path("from-document.png"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("marked: 7 attempt(s) of 4 cell(s) on 3 slot(s)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownSweepIsAUserErrorThatListsTheSweepsInTheFile()
    {
        var result = await CosRunner.Run("trace", "nosuch", "--spans", MarkedSweep(), "--out", Path("x.png"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no attempts of sweep 'nosuch'; it has: elsewhere, marked", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path("x.png")));
    }

    [Fact]
    public async Task AMissingFileAFileThatIsNotJsonAndAFileWithoutSpansAreUserErrors()
    {
        var missing = await CosRunner.Run("trace", "s", "--spans", Path("missing.jsonl"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("cannot read the span file", missing.Error, StringComparison.Ordinal);

        File.WriteAllText(Path("garbage.jsonl"), "{\"resourceSpans\": []}\nthis is not json\n");
        var garbage = await CosRunner.Run("trace", "s", "--spans", Path("garbage.jsonl"));
        Assert.Equal(1, garbage.ExitCode);
        Assert.Contains("is not OTLP JSON (line 2)", garbage.Error, StringComparison.Ordinal);

        File.WriteAllText(Path("empty.jsonl"), "");
        var empty = await CosRunner.Run("trace", "s", "--spans", Path("empty.jsonl"));
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("holds no spans", empty.Error, StringComparison.Ordinal);
    }
}
