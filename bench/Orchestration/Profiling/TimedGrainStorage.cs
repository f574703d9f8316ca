using System.Diagnostics;
using Orleans.Runtime;
using Orleans.Storage;

namespace CoS.Distributed.Orchestration.Bench.Profiling;

/// <summary>The silo's grain storage with every read and write timed.</summary>
internal sealed class TimedGrainStorage(IGrainStorage inner, CallTimings timings) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var start = Stopwatch.GetTimestamp();
        await inner.ReadStateAsync(stateName, grainId, grainState);
        timings.Add($"storage read  {stateName}", start);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var start = Stopwatch.GetTimestamp();
        await inner.WriteStateAsync(stateName, grainId, grainState);
        timings.Add($"storage write {stateName}", start);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
