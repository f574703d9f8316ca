using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Grains.Sweeps;

/// <summary>What a sweep persists: its definition and cells. Live cell status is rebuilt from the cell grains.</summary>
[GenerateSerializer, Alias("cos.SweepGrainState")]
public sealed class SweepGrainState
{
    [Id(0)] public SweepSpec? Spec { get; set; }
    [Id(1)] public List<SweepCell> Cells { get; set; } = [];
    [Id(2)] public DateTimeOffset? SubmittedAt { get; set; }
    [Id(3)] public DateTimeOffset? FinishedAt { get; set; }
    [Id(4)] public bool Cancelled { get; set; }
}
