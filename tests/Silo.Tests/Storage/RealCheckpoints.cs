using CoS.Distributed.Training.Checkpoints;
using CoS.Distributed.Training.Training;

namespace CoS.Distributed.Silo.Tests.Storage;

/// <summary>Checkpoints in the training core's real format, with seeded contents so every epoch's bytes differ.</summary>
internal static class RealCheckpoints
{
    public const string Fingerprint = "3f1c9a0e5b7d2468ace013579bdf02468ace013579bdf02468ace013579bdf0";

    public static byte[] Bytes(int epoch, string fingerprint = Fingerprint, int stateBytes = 4096)
    {
        var random = new Random(epoch);
        var metrics = Enumerable.Range(1, epoch)
            .Select(e => new EpochMetrics(e, 1.0 / e, 0.5 + e / 100.0, 1.1 / e, 0.45 + e / 100.0, 0.1, 2.5, 1000))
            .ToList();
        var checkpoint = new Checkpoint(fingerprint, epoch, metrics, Block(random, stateBytes), Block(random, stateBytes / 2));
        using var stream = new MemoryStream();
        CheckpointFormat.Write(stream, checkpoint);
        return stream.ToArray();
    }

    private static byte[] Block(Random random, int length)
    {
        var block = new byte[length];
        random.NextBytes(block);
        return block;
    }
}
