namespace CoS.Distributed.Training.Data;

/// <summary>
/// SplitMix64: a tiny, fully specified generator whose output is identical on every platform and runtime, used to
/// derive seeds (per epoch, per split) and to draw subsets without depending on System.Random's implementation.
/// </summary>
public struct SeedMixer
{
    private ulong _state;

    public SeedMixer(ulong seed) => _state = seed;

    /// <summary>A seed that depends on both inputs; neighbouring inputs give unrelated seeds.</summary>
    public static ulong Mix(long seed, long stream)
    {
        var first = new SeedMixer(unchecked((ulong)seed)).Next();
        return new SeedMixer(first ^ unchecked((ulong)stream * 0xD1B54A32D192ED03UL)).Next();
    }

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, bound), without modulo bias (Lemire's multiply-and-reject).</summary>
    public int NextBelow(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var range = (ulong)bound;
        var threshold = (0UL - range) % range;
        while (true)
        {
            var product = (UInt128)Next() * range;
            if ((ulong)product >= threshold) return (int)(product >> 64);
        }
    }
}
