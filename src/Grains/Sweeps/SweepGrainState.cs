using CoS.Distributed.Grains.Interfaces.Cells;

namespace CoS.Distributed.Grains.Sweeps;

/// <summary>What a sweep persists: its definition and cells. Live cell status is rebuilt from the cell grains.</summary>
[GenerateSerializer, Alias("cos.SweepGrainState")]
public sealed class SweepGrainState
{
    /// <summary>
    /// The definition as System.Text.Json text: grain storage's JSON cannot read back records whose list properties
    /// have read-only defaults (it keeps the defaults), so the spec is stored in a form that round-trips exactly.
    /// </summary>
    [Id(0)] public string? SpecJson { get; set; }
    [Id(1)] public List<SweepCell> Cells { get; set; } = [];
    [Id(2)] public DateTimeOffset? SubmittedAt { get; set; }
    [Id(3)] public DateTimeOffset? FinishedAt { get; set; }
    [Id(4)] public bool Cancelled { get; set; }

    /// <summary>The W3C traceparent of the submit's span: every attempt of every cell links to it.</summary>
    [Id(5)] public string? TraceParent { get; set; }
}
