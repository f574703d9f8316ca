using CoS.Distributed.Training.Checkpoints;
using CoS.Distributed.Training.Training;

namespace CoS.Distributed.Training.Tests.Checkpoints;

public class CheckpointFormatTests
{
    private const string Fingerprint = "3f2a9c0d5e6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d9c0b1a2f";

    private static Checkpoint Sample() => new(
        Fingerprint,
        2,
        [new EpochMetrics(1, 0.9, 0.6, 0.8, 0.65, 0.1, 12.5, 4800), new EpochMetrics(2, 0.5, 0.8, 0.55, 0.81, 0.05, 12.1, 4950)],
        Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray(),
        Enumerable.Range(0, 3000).Select(i => (byte)(i * 13)).ToArray());

    private static byte[] Encode(Checkpoint checkpoint)
    {
        using var stream = new MemoryStream();
        CheckpointFormat.Write(stream, checkpoint);
        return stream.ToArray();
    }

    [Fact]
    public void AWrittenCheckpointReadsBackIdentically()
    {
        var original = Sample();
        var read = CheckpointFormat.Read(new MemoryStream(Encode(original)), Fingerprint);
        Assert.Equal(original.Fingerprint, read.Fingerprint);
        Assert.Equal(original.Epoch, read.Epoch);
        Assert.Equal(original.Metrics, read.Metrics);
        Assert.Equal(original.ModelState, read.ModelState);
        Assert.Equal(original.OptimizerState, read.OptimizerState);
    }

    [Fact]
    public void WritingTheSameStateTwiceGivesTheSameBytes()
    {
        Assert.Equal(Encode(Sample()), Encode(Sample()));
    }

    [Fact]
    public void OneFlippedByteAnywhereIsRejected()
    {
        var bytes = Encode(Sample());
        // Every byte of header, blocks and hash is covered by the hash (or is the magic/version, checked first).
        for (var position = 0; position < bytes.Length; position += 97)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[position] ^= 0x01;
            var error = Assert.Throws<CheckpointException>(() => CheckpointFormat.Read(new MemoryStream(damaged), Fingerprint));
            Assert.Contains(error.Problem, new[] { CheckpointProblem.HashMismatch, CheckpointProblem.NotACheckpoint, CheckpointProblem.UnsupportedVersion });
        }
        var lastByte = (byte[])bytes.Clone();
        lastByte[^1] ^= 0x80;
        Assert.Equal(CheckpointProblem.HashMismatch,
            Assert.Throws<CheckpointException>(() => CheckpointFormat.Read(new MemoryStream(lastByte), Fingerprint)).Problem);
    }

    [Fact]
    public void ATruncatedCheckpointIsRejected()
    {
        var bytes = Encode(Sample());
        var truncated = bytes.AsSpan(0, bytes.Length / 2).ToArray();
        var error = Assert.Throws<CheckpointException>(() => CheckpointFormat.Read(new MemoryStream(truncated), Fingerprint));
        Assert.Equal(CheckpointProblem.HashMismatch, error.Problem);
    }

    [Fact]
    public void ACheckpointOfAnotherConfigurationIsRejectedWithBothFingerprints()
    {
        var bytes = Encode(Sample());
        var other = new string('a', 64);
        var error = Assert.Throws<CheckpointException>(() => CheckpointFormat.Read(new MemoryStream(bytes), other));
        Assert.Equal(CheckpointProblem.WrongConfiguration, error.Problem);
        Assert.Contains(Fingerprint[..12], error.Message, StringComparison.Ordinal);
        Assert.Contains(other[..12], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BytesThatAreNotACheckpointAreRejected()
    {
        var error = Assert.Throws<CheckpointException>(() =>
            CheckpointFormat.Read(new MemoryStream("this is a text file, not a checkpoint at all"u8.ToArray()), Fingerprint));
        Assert.Equal(CheckpointProblem.NotACheckpoint, error.Problem);
    }

    [Fact]
    public void AFutureFormatVersionIsRejectedByName()
    {
        var bytes = Encode(Sample());
        BitConverter.GetBytes(CheckpointFormat.Version + 1).CopyTo(bytes, 8);
        var error = Assert.Throws<CheckpointException>(() => CheckpointFormat.Read(new MemoryStream(bytes), Fingerprint));
        Assert.Equal(CheckpointProblem.UnsupportedVersion, error.Problem);
        Assert.Contains($"version {CheckpointFormat.Version + 1}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AVersion1CheckpointIsReadWithTheFingerprintVersion1Carried()
    {
        var version1Fingerprint = new string('1', 64);
        var bytes = Version1Checkpoints.Encode(Sample(), version1Fingerprint, [7, 7, 7]);

        var read = CheckpointFormat.Read(new MemoryStream(bytes), Fingerprint, version1Fingerprint);
        Assert.Equal(Sample().ModelState, read.ModelState);
        Assert.Equal(Sample().Metrics, read.Metrics);
        Assert.Equal(CheckpointProblem.WrongConfiguration,
            Assert.Throws<CheckpointException>(() => CheckpointFormat.Read(new MemoryStream(bytes), version1Fingerprint)).Problem);
    }
}
