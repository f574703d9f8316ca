using System.Collections.Concurrent;
using Orleans;

namespace CoS.Distributed.Testing.Faults;

/// <summary>What a fault does to a grain call it matches.</summary>
public enum CallFault
{
    /// <summary>The call never reaches the grain (a lost request, or a lost one-way message).</summary>
    Drop,

    /// <summary>The grain runs the call, then the caller sees a timeout: the reply was lost.</summary>
    LoseReply,

    /// <summary>The call waits <see cref="CallFaultRule.Delay"/> before it reaches the grain.</summary>
    Delay,
}

/// <summary>A fault for grain calls: which calls (interface method and a predicate on the call), what happens, how many times.</summary>
public sealed class CallFaultRule
{
    public required string Method { get; init; }
    public required CallFault Fault { get; init; }
    public Func<IIncomingGrainCallContext, bool> When { get; init; } = _ => true;

    /// <summary>For <see cref="CallFault.LoseReply"/>: whether the result the grain returned makes this call one to fault.</summary>
    public Func<object?, bool> WhenResult { get; init; } = _ => true;

    public TimeSpan Delay { get; init; }
    public int Times { get; init; } = 1;

    private int hits;

    /// <summary>Calls this rule faulted so far.</summary>
    public int Faulted => Volatile.Read(ref hits);

    /// <summary>Counts one more fault, unless the rule has faulted its number of times already.</summary>
    internal bool Hit()
    {
        while (true)
        {
            var seen = Volatile.Read(ref hits);
            if (seen >= Times) return false;
            if (Interlocked.CompareExchange(ref hits, seen + 1, seen) == seen) return true;
        }
    }
}

/// <summary>
/// Fault injection for grain calls, applied by <see cref="FaultInjectionFilter"/> on every silo of a test cluster
/// (silos of an in-process cluster share this process, so the rules a test adds reach all of them).
/// </summary>
public static class CallFaults
{
    private static readonly ConcurrentDictionary<CallFaultRule, byte> Rules = new();

    public static CallFaultRule Add(CallFaultRule rule)
    {
        Rules[rule] = 0;
        return rule;
    }

    public static void Remove(CallFaultRule rule) => Rules.TryRemove(rule, out _);

    internal static IEnumerable<CallFaultRule> Matching(IIncomingGrainCallContext context) =>
        Rules.Keys.Where(r => r.Method == context.InterfaceMethod.Name && r.Faulted < r.Times && r.When(context));
}

/// <summary>The silo-side filter that applies <see cref="CallFaults"/>' rules to incoming grain calls.</summary>
public sealed class FaultInjectionFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var rules = CallFaults.Matching(context).ToList();
        foreach (var rule in rules.Where(r => r.Fault == CallFault.Delay))
        {
            if (rule.Hit()) await Task.Delay(rule.Delay);
        }
        if (rules.FirstOrDefault(r => r.Fault == CallFault.Drop) is { } drop && drop.Hit())
        {
            // A one-way message is simply gone; a request's caller waits in vain and times out.
            if (context.InterfaceMethod.IsDefined(typeof(Orleans.Concurrency.OneWayAttribute), inherit: true)) return;
            throw new TimeoutException($"fault injection: the request {context.InterfaceMethod.Name} was lost");
        }
        await context.Invoke();
        if (rules.FirstOrDefault(r => r.Fault == CallFault.LoseReply && r.WhenResult(context.Result)) is { } lose && lose.Hit())
            throw new TimeoutException($"fault injection: the reply to {context.InterfaceMethod.Name} was lost");
    }
}
