namespace CoS.Distributed.Silo.Slots;

/// <summary>The slots a silo owns: one per CUDA device, or a number of CPU slots.</summary>
public sealed class SlotOptions
{
    /// <summary>CPU slots when no CUDA device is used. 0 makes a coordinator or gateway silo that never trains.</summary>
    public int CpuSlots { get; set; } = 1;

    /// <summary>Torch threads per slot; null divides the machine's cores among the CPU slots.</summary>
    public int? ThreadsPerSlot { get; set; }

    /// <summary>Use one slot per CUDA device when CUDA is available (and CpuSlots is not 0).</summary>
    public bool UseGpus { get; set; } = true;

    /// <summary>How long an idle slot waits before asking the scheduler again.</summary>
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The most time between two heartbeats that renew this silo's leases; a beat comes sooner when a third of the
    /// scheduler's lease duration is shorter.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (CpuSlots < 0) problems.Add($"Cos:Slots:CpuSlots is {CpuSlots}: give 0 (a silo that never trains) or more");
        if (ThreadsPerSlot is < 1) problems.Add($"Cos:Slots:ThreadsPerSlot is {ThreadsPerSlot}: give at least 1, or leave it out");
        if (HeartbeatInterval <= TimeSpan.Zero) problems.Add($"Cos:Slots:HeartbeatInterval is {HeartbeatInterval}: give a positive time such as 00:00:05");
        if (IdlePoll <= TimeSpan.Zero) problems.Add($"Cos:Slots:IdlePoll is {IdlePoll}: give a positive time such as 00:00:00.1");
        return problems;
    }
}
