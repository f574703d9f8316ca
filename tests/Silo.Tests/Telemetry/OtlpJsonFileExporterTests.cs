using System.Diagnostics;
using System.Text.Json;
using CoS.Distributed.Silo.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CoS.Distributed.Silo.Tests.Telemetry;

/// <summary>
/// The OTLP/JSON file exporter under the real OpenTelemetry SDK: spans of a real ActivitySource, exported through a
/// batch processor, read back from the file as the JSON a Collector's file exporter would write.
/// </summary>
public sealed class OtlpJsonFileExporterTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cos-otlp-file-").FullName;
    private readonly ActivitySource source = new($"CoS.Tests.Export.{Guid.NewGuid():N}", "1.2.3");

    public void Dispose()
    {
        source.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private TracerProvider Provider(string file, string instance = "instance-1") => Sdk.CreateTracerProviderBuilder()
        .ConfigureResource(r => r.AddService("cos-test", serviceInstanceId: instance))
        .AddSource(source.Name)
        .AddProcessor(new BatchActivityExportProcessor(new OtlpJsonFileExporter(file)))
        .Build();

    private static List<JsonElement> Spans(string file) =>
        [.. File.ReadAllLines(file).SelectMany(line => JsonDocument.Parse(line).RootElement.GetProperty("resourceSpans").EnumerateArray())
            .SelectMany(r => r.GetProperty("scopeSpans").EnumerateArray()).SelectMany(s => s.GetProperty("spans").EnumerateArray())];

    private static Dictionary<string, JsonElement> Attributes(JsonElement owner) =>
        owner.GetProperty("attributes").EnumerateArray().ToDictionary(a => a.GetProperty("key").GetString()!, a => a.GetProperty("value"));

    private static long Nanos(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    [Fact]
    public void EverySpanFieldIsWrittenAsOtlpJson()
    {
        var file = Path.Combine(folder, "spans.jsonl");
        var start = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        ActivityContext linked, parentContext, childContext;
        using (var provider = Provider(file))
        {
            using (var other = source.StartActivity("other", ActivityKind.Client)) linked = other!.Context;
            using (var parent = source.StartActivity("cell.attempt", ActivityKind.Internal, default(ActivityContext),
                new ActivityTagsCollection { ["cos.sweep"] = "s1", ["cos.slot"] = 3, ["cos.seed"] = 12345678901L, ["ratio"] = 0.25, ["resumed"] = true, ["dims"] = new[] { 1, 2 } },
                [new ActivityLink(linked, new ActivityTagsCollection { ["cos.link"] = "sweep.submit" })], start))
            {
                parentContext = parent!.Context;
                using (var child = source.StartActivity("epoch", ActivityKind.Server, parentContext, startTime: start.AddSeconds(1)))
                {
                    childContext = child!.Context;
                    child.SetTag("cos.epoch", 1);
                    child.AddEvent(new ActivityEvent("attempt fenced", start.AddSeconds(1.5), new ActivityTagsCollection { ["cos.reason"] = "lease lost" }));
                    child.SetStatus(ActivityStatusCode.Error, "fenced");
                    child.SetEndTime(start.AddSeconds(2.5).UtcDateTime);
                }
                parent.SetEndTime(start.AddSeconds(3).UtcDateTime);
            }
            provider.ForceFlush();
        }

        var line = JsonDocument.Parse(File.ReadAllLines(file).Single()).RootElement;
        var resource = Attributes(line.GetProperty("resourceSpans")[0].GetProperty("resource"));
        Assert.Equal("cos-test", resource["service.name"].GetProperty("stringValue").GetString());
        Assert.Equal("instance-1", resource["service.instance.id"].GetProperty("stringValue").GetString());
        var scope = line.GetProperty("resourceSpans")[0].GetProperty("scopeSpans")[0];
        Assert.Equal(source.Name, scope.GetProperty("scope").GetProperty("name").GetString());
        Assert.Equal("1.2.3", scope.GetProperty("scope").GetProperty("version").GetString());

        var spans = Spans(file).ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(3, spans.Count);
        var attempt = spans["cell.attempt"];
        Assert.Equal(parentContext.TraceId.ToHexString(), attempt.GetProperty("traceId").GetString());
        Assert.Matches("^[0-9a-f]{32}$", attempt.GetProperty("traceId").GetString());
        Assert.Equal(parentContext.SpanId.ToHexString(), attempt.GetProperty("spanId").GetString());
        Assert.False(attempt.TryGetProperty("parentSpanId", out _));
        Assert.Equal(1, attempt.GetProperty("kind").GetInt32());
        Assert.Equal(Nanos(start.UtcDateTime).ToString(System.Globalization.CultureInfo.InvariantCulture), attempt.GetProperty("startTimeUnixNano").GetString());
        Assert.Equal(Nanos(start.AddSeconds(3).UtcDateTime).ToString(System.Globalization.CultureInfo.InvariantCulture), attempt.GetProperty("endTimeUnixNano").GetString());
        var tags = Attributes(attempt);
        Assert.Equal("s1", tags["cos.sweep"].GetProperty("stringValue").GetString());
        Assert.Equal("3", tags["cos.slot"].GetProperty("intValue").GetString());
        Assert.Equal("12345678901", tags["cos.seed"].GetProperty("intValue").GetString());
        Assert.Equal(0.25, tags["ratio"].GetProperty("doubleValue").GetDouble());
        Assert.True(tags["resumed"].GetProperty("boolValue").GetBoolean());
        Assert.Equal(["1", "2"], tags["dims"].GetProperty("arrayValue").GetProperty("values").EnumerateArray().Select(v => v.GetProperty("intValue").GetString()));
        var link = attempt.GetProperty("links").EnumerateArray().Single();
        Assert.Equal(linked.TraceId.ToHexString(), link.GetProperty("traceId").GetString());
        Assert.Equal(linked.SpanId.ToHexString(), link.GetProperty("spanId").GetString());
        Assert.Equal("sweep.submit", Attributes(link)["cos.link"].GetProperty("stringValue").GetString());

        var epoch = spans["epoch"];
        Assert.Equal(parentContext.TraceId.ToHexString(), epoch.GetProperty("traceId").GetString());
        Assert.Equal(childContext.SpanId.ToHexString(), epoch.GetProperty("spanId").GetString());
        Assert.Equal(parentContext.SpanId.ToHexString(), epoch.GetProperty("parentSpanId").GetString());
        Assert.Equal(2, epoch.GetProperty("kind").GetInt32());
        Assert.Equal(3, spans["other"].GetProperty("kind").GetInt32());
        Assert.Equal("1", Attributes(epoch)["cos.epoch"].GetProperty("intValue").GetString());
        var fenced = epoch.GetProperty("events").EnumerateArray().Single();
        Assert.Equal("attempt fenced", fenced.GetProperty("name").GetString());
        Assert.Equal(Nanos(start.AddSeconds(1.5).UtcDateTime).ToString(System.Globalization.CultureInfo.InvariantCulture), fenced.GetProperty("timeUnixNano").GetString());
        Assert.Equal("lease lost", Attributes(fenced)["cos.reason"].GetProperty("stringValue").GetString());
        Assert.Equal(2, epoch.GetProperty("status").GetProperty("code").GetInt32());
        Assert.Equal("fenced", epoch.GetProperty("status").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ManyThreadsAndTwoProvidersAppendingToOneFileWriteOnlyWholeLines()
    {
        var file = Path.Combine(folder, "shared.jsonl");
        const int Threads = 8, SpansPerThread = 250;
        using (var first = Provider(file, "first"))
        using (var second = Provider(file, "second"))
        {
            await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
            {
                for (var i = 0; i < SpansPerThread; i++)
                {
                    using var span = source.StartActivity("work");
                    span?.SetTag("thread", t);
                    span?.SetTag("padding", new string('x', 200));
                    if (i % 50 == 0) (t % 2 == 0 ? first : second).ForceFlush();
                }
            })));
        }

        // Both providers listen to the source: every span is written once by each.
        var lines = File.ReadAllLines(file);
        Assert.All(lines, line => JsonDocument.Parse(line));
        var spans = Spans(file);
        Assert.Equal(2 * Threads * SpansPerThread, spans.Count);
        Assert.Equal(Threads * SpansPerThread, spans.Select(s => s.GetProperty("spanId").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task AnotherWriterHoldingTheFileIsWaitedForNotInterleaved()
    {
        var file = Path.Combine(folder, "held.jsonl");
        using var provider = Provider(file);
        // What another process's exporter does while it appends: the file held under an exclusive lock.
        var held = new FileStream(file, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None);
        held.Write("{\"resourceSpans\":[]}\n"u8);
        using (source.StartActivity("waited")) { }
        var flush = Task.Run(() => provider.ForceFlush());
        await Task.Delay(300);
        Assert.False(flush.IsCompleted);
        await held.DisposeAsync();
        Assert.True(await flush.WaitAsync(TimeSpan.FromSeconds(10)));
        var lines = File.ReadAllLines(file);
        Assert.Equal(2, lines.Length);
        Assert.Equal("waited", Spans(file).Single().GetProperty("name").GetString());
    }

    [Fact]
    public void AFileThatCannotBeWrittenIsRefusedAtStartWithItsPath()
    {
        var blocker = Path.Combine(folder, "a-file");
        File.WriteAllText(blocker, "");
        var error = Assert.Throws<ArgumentException>(() => new OtlpJsonFileExporter(Path.Combine(blocker, "spans.jsonl")));
        Assert.Contains($"cannot write spans to '{Path.Combine(blocker, "spans.jsonl")}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATraceFileAloneTurnsTracingOnButNotMetricsAndWritesThere()
    {
        var file = Path.Combine(folder, "nested", "host.jsonl");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        Assert.True(builder.Services.AddCosTelemetry(new TelemetryOptions { TraceFile = file }, "cos-silo", "silo-a", _ => null));
        using (var host = builder.Build())
        {
            var provider = host.Services.GetRequiredService<TracerProvider>();
            Assert.Null(host.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
            using (Grains.Interfaces.Telemetry.CosTelemetry.Source.StartActivity("sweep.submit")) { }
            provider.ForceFlush();
        }
        var span = Spans(file).First(s => s.GetProperty("name").GetString() == "sweep.submit");
        Assert.Matches("^[0-9a-f]{16}$", span.GetProperty("spanId").GetString());
        var resource = Attributes(JsonDocument.Parse(File.ReadAllLines(file)[0]).RootElement.GetProperty("resourceSpans")[0].GetProperty("resource"));
        Assert.Equal("silo-a", resource["service.instance.id"].GetProperty("stringValue").GetString());
    }
}
