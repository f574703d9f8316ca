using System.Collections.Concurrent;
using System.Diagnostics;
using CoS.Distributed.Orchestration.Bench.Peers;

namespace CoS.Distributed.Orchestration.Bench.Profiling;

/// <summary>
/// Where dispatch time goes, on a profiled run: every grain method's time as its caller sees it (outgoing: the
/// round trip, queueing included) and as the grain spends it (incoming: the method body, storage writes included),
/// and every grain-storage write.
/// </summary>
internal sealed class CallTimings
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> times = new();

    public volatile bool Recording;

    public void Add(string what, long startTicks)
    {
        if (!Recording) return;
        times.GetOrAdd(what, _ => new ConcurrentQueue<double>()).Enqueue(Latency.Milliseconds(startTicks, Stopwatch.GetTimestamp()));
    }

    public IReadOnlyList<(string What, Latency Latency)> Summary() =>
        [.. times.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, Latency.Of(t.Value.ToArray())))];

    public void Clear() => times.Clear();

    public IIncomingGrainCallFilter Incoming => new IncomingFilter(this);

    public IOutgoingGrainCallFilter Outgoing => new OutgoingFilter(this);

    private static string Name(IGrainCallContext call) => $"{call.InterfaceName.Split('.')[^1]}.{call.MethodName}";

    private sealed class IncomingFilter(CallTimings timings) : IIncomingGrainCallFilter
    {
        public async Task Invoke(IIncomingGrainCallContext context)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                await context.Invoke();
            }
            finally
            {
                timings.Add($"in  {Name(context)}", start);
            }
        }
    }

    private sealed class OutgoingFilter(CallTimings timings) : IOutgoingGrainCallFilter
    {
        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                await context.Invoke();
            }
            finally
            {
                timings.Add($"out {Name(context)}", start);
            }
        }
    }
}
