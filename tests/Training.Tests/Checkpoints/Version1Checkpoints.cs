using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CoS.Distributed.Training.Checkpoints;

namespace CoS.Distributed.Training.Tests.Checkpoints;

/// <summary>Checkpoints as format 1 wrote them (before the fingerprint left out device and thread count).</summary>
internal static class Version1Checkpoints
{
    /// <summary>The same state in format 1's bytes, under <paramref name="fingerprintVersion1"/>.</summary>
    public static byte[] Encode(Checkpoint checkpoint, string fingerprintVersion1, byte[] rngState)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("COSCKPT\n"u8);
            writer.Write(1);
            var header = JsonSerializer.SerializeToUtf8Bytes(new { Fingerprint = fingerprintVersion1, checkpoint.Epoch, checkpoint.Metrics });
            writer.Write(header.Length);
            writer.Write(header);
            foreach (var block in new[] { rngState, checkpoint.ModelState, checkpoint.OptimizerState })
            {
                writer.Write((long)block.Length);
                writer.Write(block);
            }
        }
        buffer.Write(SHA256.HashData(buffer.ToArray()));
        return buffer.ToArray();
    }
}
