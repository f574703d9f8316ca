using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CoS.Distributed.Training.Training;

namespace CoS.Distributed.Training.Checkpoints;

/// <summary>
/// Checkpoint file layout, version 2 (little-endian):
/// <c>"COSCKPT\n"</c> · int32 version · int32 length + UTF-8 JSON header {fingerprint, epoch, metrics} ·
/// int64 length + model state · int64 length + optimiser state · SHA-256 of every preceding byte.
/// Version 1 differs twice: its fingerprint also covered the device and the thread count
/// (<see cref="RunSpec.FingerprintVersion1"/>), so it is checked against that one; and an RNG-state block (LibTorch's
/// process-wide generator) came before the model state, which is skipped: no run draws from that generator after
/// initialisation, and setting it from one slot's checkpoint reached every other slot of the process.
/// </summary>
public static class CheckpointFormat
{
    public const int Version = 2;
    private const int FirstVersion = 1;
    private static readonly byte[] Magic = "COSCKPT\n"u8.ToArray();
    private const int HashLength = 32;

    private sealed record Header(string Fingerprint, int Epoch, IReadOnlyList<EpochMetrics> Metrics);

    public static void Write(Stream destination, Checkpoint checkpoint)
    {
        using var buffer = new MemoryStream(checkpoint.ModelState.Length + checkpoint.OptimizerState.Length + 4096);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            var header = JsonSerializer.SerializeToUtf8Bytes(new Header(checkpoint.Fingerprint, checkpoint.Epoch, checkpoint.Metrics));
            writer.Write(header.Length);
            writer.Write(header);
            foreach (var block in new[] { checkpoint.ModelState, checkpoint.OptimizerState })
            {
                writer.Write((long)block.Length);
                writer.Write(block);
            }
        }
        var content = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        destination.Write(content);
        destination.Write(SHA256.HashData(content));
    }

    /// <summary>
    /// Reads and verifies a checkpoint. Throws <see cref="CheckpointException"/> when the bytes are not a
    /// checkpoint, are damaged (hash mismatch), or were written for another configuration: one whose fingerprint is
    /// not <paramref name="expectedFingerprint"/>, or for a version-1 checkpoint not <paramref name="version1Fingerprint"/>
    /// (none given: version-1 checkpoints are refused).
    /// </summary>
    public static Checkpoint Read(Stream source, string expectedFingerprint, string? version1Fingerprint = null)
    {
        byte[] bytes;
        using (var copy = new MemoryStream())
        {
            source.CopyTo(copy);
            bytes = copy.ToArray();
        }
        if (bytes.Length < Magic.Length + 4 + HashLength || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointException(CheckpointProblem.NotACheckpoint, "the data is not a CoS.Distributed checkpoint (bad magic number)");
        var version = BitConverter.ToInt32(bytes, Magic.Length);
        if (version is < FirstVersion or > Version)
            throw new CheckpointException(CheckpointProblem.UnsupportedVersion,
                $"checkpoint format version {version} is not supported by this build (it reads versions {FirstVersion} to {Version})");
        var content = bytes.AsSpan(0, bytes.Length - HashLength);
        if (!SHA256.HashData(content).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashLength)))
            throw new CheckpointException(CheckpointProblem.HashMismatch, "checkpoint is damaged: its SHA-256 does not match its content");

        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, 0, content.Length, writable: false));
            reader.ReadBytes(Magic.Length + 4);
            var header = JsonSerializer.Deserialize<Header>(reader.ReadBytes(reader.ReadInt32()))
                ?? throw new CheckpointException(CheckpointProblem.NotACheckpoint, "checkpoint header is empty");
            var expected = version == FirstVersion ? version1Fingerprint : expectedFingerprint;
            if (header.Fingerprint != expected)
                throw new CheckpointException(CheckpointProblem.WrongConfiguration, version == FirstVersion
                    ? $"version-1 checkpoint belongs to configuration {Short(header.Fingerprint)}…, not to this run on this device and thread count " +
                      $"({Short(expected ?? "none given")}…); version 1 resumes only on the device and thread count that wrote it"
                    : $"checkpoint belongs to configuration {Short(header.Fingerprint)}…, not to this run ({Short(expectedFingerprint)}…)");
            if (version == FirstVersion) ReadBlock(reader);
            var model = ReadBlock(reader);
            var optimizer = ReadBlock(reader);
            return new Checkpoint(header.Fingerprint, header.Epoch, header.Metrics, model, optimizer);
        }
        catch (EndOfStreamException e)
        {
            throw new CheckpointException(CheckpointProblem.Truncated, "checkpoint ends before its last block: " + e.Message);
        }
        catch (JsonException e)
        {
            throw new CheckpointException(CheckpointProblem.NotACheckpoint, "checkpoint header is not valid JSON: " + e.Message);
        }
    }

    private static string Short(string fingerprint) => fingerprint[..Math.Min(12, fingerprint.Length)];

    private static byte[] ReadBlock(BinaryReader reader)
    {
        var length = reader.ReadInt64();
        if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new EndOfStreamException($"a block claims {length} bytes");
        return reader.ReadBytes((int)length);
    }
}
