using System.Collections.Concurrent;
using Orleans.Runtime;
using Orleans.Storage;

namespace CoS.Distributed.Testing.Faults;

/// <summary>A write that fails: which grain state (name, grain id, the state being written) and how many times.</summary>
public sealed class StorageFaultRule
{
    public required Func<string, GrainId, object?, bool> When { get; init; }
    public int Times { get; init; } = 1;

    private int hits;

    public int Failed => Volatile.Read(ref hits);

    /// <summary>Counts one more failure, unless the rule has failed its number of writes already.</summary>
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
/// Grain storage that fails chosen writes (before they reach the real storage it wraps), as a storage account that
/// refuses one request does. Rules are process-wide, like <see cref="CallFaults"/>.
/// </summary>
public sealed class FaultyGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private static readonly ConcurrentDictionary<StorageFaultRule, byte> Rules = new();

    public static StorageFaultRule Add(StorageFaultRule rule)
    {
        Rules[rule] = 0;
        return rule;
    }

    public static void Remove(StorageFaultRule rule) => Rules.TryRemove(rule, out _);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        foreach (var rule in Rules.Keys)
        {
            if (rule.Failed < rule.Times && rule.When(stateName, grainId, grainState.State) && rule.Hit())
                throw new IOException($"fault injection: the write of {stateName} for {grainId} failed");
        }
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
