using Orleans.Placement;
using Orleans.Runtime;

namespace CoS.Distributed.Orchestration.Bench.Peers;

/// <summary>A grain call that does nothing: the floor under every call the dispatch path makes.</summary>
[Alias("cos.bench.IPingGrain")]
internal interface IPingGrain : IGrainWithStringKey
{
    [Alias("Ping")]
    Task Ping();

    [Alias("Silo")]
    Task<string> Silo();
}

[PreferLocalPlacement]
internal sealed class PingGrain(ILocalSiloDetails silo) : Grain, IPingGrain
{
    public Task Ping() => Task.CompletedTask;

    public Task<string> Silo() => Task.FromResult(silo.SiloAddress.ToParsableString());
}
