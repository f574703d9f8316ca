using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Telemetry;

namespace CoS.Distributed.Silo.Telemetry;

/// <summary>Checkpoint sizes and times, per operation (save, load).</summary>
internal static class CheckpointMetrics
{
    private static readonly Histogram<long> Size = CosTelemetry.Meter.CreateHistogram<long>(
        "cos.checkpoint.size", "By", "Bytes of each checkpoint saved or loaded");

    private static readonly Histogram<double> Duration = CosTelemetry.Meter.CreateHistogram<double>(
        "cos.checkpoint.duration", "s", "Time to save (serialise and store) or load (read, verify, restore) a checkpoint");

    public static void Measured(string operation, long bytes, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>(CosTags.Operation, operation);
        Size.Record(bytes, tag);
        Duration.Record(elapsed.TotalSeconds, tag);
    }
}

/// <summary>What the slots do: how many train, epochs, samples and epoch times, storage retries.</summary>
internal static class SlotMetrics
{
    private static readonly UpDownCounter<int> Busy = CosTelemetry.Meter.CreateUpDownCounter<int>(
        "cos.slots.busy", "{slot}", "Slots training a cell");

    // The slots each silo of this process owns, observed whenever a reader collects (however late it started).
    private static readonly ConcurrentDictionary<SlotAddress, byte> Owning = new();

    private static readonly Counter<long> Epochs = CosTelemetry.Meter.CreateCounter<long>(
        "cos.epochs.completed", "{epoch}", "Epochs trained and accepted by their cell");

    private static readonly Counter<long> Samples = CosTelemetry.Meter.CreateCounter<long>(
        "cos.training.samples", "{sample}", "Training samples processed in accepted epochs (its rate is samples per second)");

    private static readonly Histogram<double> EpochDuration = CosTelemetry.Meter.CreateHistogram<double>(
        "cos.epoch.duration", "s", "Training time of each accepted epoch");

    public static readonly Counter<long> StorageRetries = CosTelemetry.Meter.CreateCounter<long>(
        "cos.storage.retries", "{retry}", "Checkpoint and grain-state storage calls retried");

    static SlotMetrics()
    {
        CosTelemetry.Meter.CreateObservableUpDownCounter("cos.slots.total", () => Owning.Keys
            .GroupBy(s => (s.Silo, s.Device))
            .Select(g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>(CosTags.Silo, g.Key.Silo), new KeyValuePair<string, object?>(CosTags.Device, g.Key.Device))),
            "{slot}", "Slots this silo owns");
    }

    public static void Owned(SlotAddress slot) => Owning[slot] = 0;

    public static void Released(SlotAddress slot) => Owning.TryRemove(slot, out _);

    public static void Started(SlotAddress slot) => Busy.Add(1, Tags(slot));

    public static void Stopped(SlotAddress slot) => Busy.Add(-1, Tags(slot));

    public static void EpochAccepted(SlotAddress slot, CellAssignment cell, EpochReport epoch)
    {
        var tags = new TagList { { CosTags.Silo, slot.Silo }, { CosTags.Device, slot.Device }, { CosTags.Sweep, cell.SweepName }, { CosTags.Model, cell.Spec.Model }, { CosTags.Activation, cell.Spec.Activation } };
        Epochs.Add(1, tags);
        Samples.Add((long)Math.Round(epoch.SamplesPerSecond * epoch.Seconds), tags);
        EpochDuration.Record(epoch.Seconds, tags);
    }

    private static TagList Tags(SlotAddress slot) => new() { { CosTags.Silo, slot.Silo }, { CosTags.Device, slot.Device } };
}
