using System.Diagnostics;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Scheduling;
using CoS.Distributed.Grains.Interfaces.Telemetry;
using CoS.Distributed.Silo.Tests.Faults;
using CoS.Distributed.Testing.Faults;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CoS.Distributed.Silo.Tests.Telemetry;

/// <summary>
/// The spans and metrics of whole sweeps run by the product's grains and slot workers, recorded by the real
/// OpenTelemetry SDK (in-memory exporter) listening to the project's source and meter and to Orleans' application source.
/// </summary>
[Collection(SlotClusterTests.Name)]
public sealed class SweepTracingTests : IDisposable
{
    private readonly SlotCluster cluster;
    private static int sweeps;
    private readonly List<Activity> spans = [];
    private readonly List<Metric> metrics = [];
    private readonly TracerProvider tracing;
    private readonly MeterProvider metering;
    private readonly List<CallFaultRule> rules = [];

    public SweepTracingTests(SlotCluster cluster)
    {
        this.cluster = cluster;
        tracing = Sdk.CreateTracerProviderBuilder().AddSource(CosTelemetry.Name, "Microsoft.Orleans.Application").AddInMemoryExporter(spans).Build();
        metering = Sdk.CreateMeterProviderBuilder().AddMeter(CosTelemetry.Name).AddInMemoryExporter(metrics).Build();
    }

    private static string Name(string what) => $"{what}-traced-{Interlocked.Increment(ref sweeps)}";

    /// <summary>Runs a sweep under a submit span, as `cos submit` does, and returns that span's context.</summary>
    private async Task<ActivityContext> Submit(string name)
    {
        ActivityContext submit;
        using (var span = CosTelemetry.Source.StartActivity("cos submit"))
        {
            Assert.NotNull(span);
            submit = span.Context;
            await cluster.Grains.GetGrain<Grains.Interfaces.Sweeps.ISweepGrain>(name).Submit(SlotCluster.Sweep(name));
        }
        var status = await cluster.Run(SlotCluster.Sweep(name), TimeSpan.FromMinutes(3));
        Assert.All(status.Cells, c => Assert.Equal(CellStatus.Completed, c.Status));
        tracing.ForceFlush();
        return submit;
    }

    private List<Activity> Spans(string operation, string sweep) =>
        [.. Snapshot().Where(s => s.OperationName == operation && s.GetTagItem(CosTags.Sweep) as string == sweep)];

    private List<Activity> Snapshot()
    {
        lock (spans) return [.. spans];
    }

    private List<Activity> ChildrenOf(Activity parent, string operation) =>
        [.. Snapshot().Where(s => s.ParentSpanId == parent.SpanId && s.TraceId == parent.TraceId && s.OperationName == operation)];

    [Fact]
    public async Task OneSubmitTraceLeadsToEveryAttemptOfEveryCellWithItsEpochsAndCheckpoints()
    {
        var name = Name("sweep");
        var submit = await Submit(name);

        var grainSide = Assert.Single(Spans("sweep.submit", name), s => s.TraceId == submit.TraceId);
        Assert.Equal(submit.TraceId, grainSide.TraceId);
        Assert.Contains(Snapshot(), s => s.OperationName == "scheduler.enqueue" && s.TraceId == submit.TraceId);

        var attempts = Spans("cell.attempt", name);
        Assert.Equal(4, attempts.Count);
        foreach (var attempt in attempts)
        {
            // A root span of its own, linked to the submit: small traces, one query by sweep.
            Assert.Equal(default, attempt.ParentSpanId);
            Assert.Contains(attempt.Links, l => l.Context.TraceId == submit.TraceId && l.Context.SpanId == grainSide.SpanId);
            Assert.Equal("completed", attempt.GetTagItem(CosTags.Outcome));
            Assert.Equal(1, attempt.GetTagItem(CosTags.Attempt));
            Assert.Equal("small_cnn", attempt.GetTagItem(CosTags.Model));
            Assert.Contains(attempt.GetTagItem(CosTags.Activation), new object[] { "relu", "cos" });
            Assert.Equal("cpu", attempt.GetTagItem(CosTags.Device));

            var epochs = ChildrenOf(attempt, "epoch");
            Assert.Equal([1, 2], epochs.Select(e => (int)e.GetTagItem(CosTags.Epoch)!).Order());
            foreach (var epoch in epochs)
            {
                Assert.Single(ChildrenOf(epoch, "train"));
                Assert.Single(ChildrenOf(epoch, "evaluate"));
                var save = Assert.Single(ChildrenOf(epoch, "checkpoint.save"));
                Assert.True((long)save.GetTagItem(CosTags.Bytes)! > 1000);
                // The grain calls of the attempt join its trace (Orleans' activity propagation).
                var calls = Snapshot().Where(s => s.ParentSpanId == epoch.SpanId && s.TraceId == epoch.TraceId).Select(s => s.OperationName).ToList();
                Assert.True(calls.Any(c => c.EndsWith("ICellGrain/ReportEpoch", StringComparison.Ordinal)), string.Join(", ", calls));
            }
        }

        // No span of these traces is orphaned: every parent is in the trace (or the span is a linked root).
        var traces = attempts.Select(a => a.TraceId).Append(submit.TraceId).ToHashSet();
        var inTraces = Snapshot().Where(s => traces.Contains(s.TraceId)).ToList();
        var ids = inTraces.Select(s => s.SpanId).Append(submit.SpanId).ToHashSet();
        Assert.All(inTraces, s => Assert.True(s.ParentSpanId == default || ids.Contains(s.ParentSpanId), $"{s.OperationName} has a parent outside its trace"));
    }

    [Fact]
    public async Task AnAttemptThatReplacesALostOneLinksToIt()
    {
        var name = Name("lapsed");
        rules.Add(CallFaults.Add(new CallFaultRule { Method = nameof(ISchedulerGrain.Renew), Fault = CallFault.Drop, Times = 6 }));
        rules.Add(CallFaults.Add(new CallFaultRule
        {
            Method = nameof(ICellGrain.ReportEpoch),
            Fault = CallFault.Delay,
            Delay = TimeSpan.FromSeconds(5),
            When = call => (call.TargetId.Key.ToString() ?? "").StartsWith(name + "/", StringComparison.Ordinal),
        }));
        await Submit(name);

        // The fenced attempt may still be finishing its epoch after the sweep ends: wait for its span to end too.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        bool EveryPredecessorEnded(List<Activity> all) => all.Where(a => (int)a.GetTagItem(CosTags.Attempt)! > 1).All(r =>
            all.Any(a => a.GetTagItem(CosTags.Cell)!.Equals(r.GetTagItem(CosTags.Cell)) && (int)a.GetTagItem(CosTags.Attempt)! == (int)r.GetTagItem(CosTags.Attempt)! - 1));
        while (!EveryPredecessorEnded(Spans("cell.attempt", name)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            tracing.ForceFlush();
        }

        // Under load more than one lease may lapse while heartbeats are lost: every replacement links to the attempt before it.
        var attempts = Spans("cell.attempt", name);
        var replacements = attempts.Where(a => (int)a.GetTagItem(CosTags.Attempt)! > 1).ToList();
        Assert.NotEmpty(replacements);
        foreach (var replacement in replacements)
        {
            var cell = replacement.GetTagItem(CosTags.Cell);
            var number = (int)replacement.GetTagItem(CosTags.Attempt)!;
            var lost = Assert.Single(attempts, a => a.GetTagItem(CosTags.Cell)!.Equals(cell) && (int)a.GetTagItem(CosTags.Attempt)! == number - 1);
            Assert.Contains(replacement.Links, l => l.Context.SpanId == lost.SpanId && l.Context.TraceId == lost.TraceId);
            Assert.Contains(lost.GetTagItem(CosTags.Outcome), new object[] { "fenced", "handed_back" });
        }
    }

    [Fact]
    public async Task TheMetersCountWhatTheSweepDid()
    {
        var name = Name("metered");
        await Submit(name);
        metering.ForceFlush();

        long Sum(string metric, string tag, object value) => metrics.Where(m => m.Name == metric).SelectMany(Points)
            .Where(p => Tags(p).TryGetValue(tag, out var v) && Equals(v, value)).Sum(p => p.GetSumLong());

        Assert.Equal(8, Sum("cos.epochs.completed", CosTags.Sweep, name));
        Assert.True(Sum("cos.training.samples", CosTags.Sweep, name) >= 8 * 200);
        Assert.Equal(4, metrics.Where(m => m.Name == "cos.cells").SelectMany(Points)
            .Where(p => Tags(p).TryGetValue(CosTags.Sweep, out var s) && Equals(s, name) && Equals(Tags(p)[CosTags.State], "completed"))
            .Sum(p => p.GetSumLong()));
        var sizes = metrics.Where(m => m.Name == "cos.checkpoint.size").SelectMany(Points).ToList();
        Assert.True(sizes.Sum(p => p.GetHistogramCount()) >= 8);
        Assert.Contains(metrics, m => m.Name == "cos.slots.total");
    }

    private static List<MetricPoint> Points(Metric metric)
    {
        var points = new List<MetricPoint>();
        foreach (ref readonly var point in metric.GetMetricPoints()) points.Add(point);
        return points;
    }

    private static Dictionary<string, object?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>();
        foreach (var tag in point.Tags) tags[tag.Key] = tag.Value;
        return tags;
    }

    public void Dispose()
    {
        foreach (var rule in rules) CallFaults.Remove(rule);
        tracing.Dispose();
        metering.Dispose();
    }
}
