using TorchSharp;

namespace CoS.Distributed.Silo.Slots;

/// <summary>The devices this silo's slots train on, and the torch threads each slot gets.</summary>
public sealed record SlotPlan(IReadOnlyList<string> Devices, int ThreadsPerSlot)
{
    public int Count => Devices.Count;

    /// <summary>One slot per CUDA device when there are any (and GPUs are wanted), else the configured CPU slots.</summary>
    public static SlotPlan From(SlotOptions options, Func<int>? cudaDevices = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.CpuSlots == 0) return new SlotPlan([], 0);
        var gpus = options.UseGpus ? (cudaDevices ?? CountCudaDevices)() : 0;
        if (gpus > 0)
            return new SlotPlan([.. Enumerable.Range(0, gpus).Select(i => $"cuda:{i}")], options.ThreadsPerSlot ?? 1);
        var threads = options.ThreadsPerSlot ?? Math.Max(1, Environment.ProcessorCount / options.CpuSlots);
        return new SlotPlan([.. Enumerable.Repeat("cpu", options.CpuSlots)], threads);
    }

    private static int CountCudaDevices() => torch.cuda.is_available() ? torch.cuda.device_count() : 0;
}
