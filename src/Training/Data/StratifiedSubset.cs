namespace CoS.Distributed.Training.Data;

/// <summary>
/// Picks the same number of examples from every class, reproducibly: the choice depends only on the labels, the
/// count and the seed (SplitMix64, so it is the same on every platform and runtime).
/// </summary>
public static class StratifiedSubset
{
    /// <summary>
    /// Indices of <paramref name="perClass"/> examples of each class 0..classCount−1, in ascending order.
    /// <paramref name="source"/> names the data in error messages (for example "fashion-mnist train").
    /// </summary>
    public static long[] Select(ReadOnlySpan<byte> labels, int classCount, int perClass, long seed, string source)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if (perClass <= 0)
            throw new ArgumentOutOfRangeException(nameof(perClass), perClass,
                $"{source}: the number of examples per class must be positive; leave it unset to use all examples");

        var counts = new int[classCount];
        foreach (var label in labels)
        {
            if (label >= classCount)
                throw new ArgumentException($"{source}: label {label} is outside 0..{classCount - 1}", nameof(labels));
            counts[label]++;
        }
        var scarce = Enumerable.Range(0, classCount).Where(c => counts[c] < perClass).ToList();
        if (scarce.Count > 0)
        {
            var shown = string.Join(", ", scarce.Take(3).Select(c => $"class {c} has {counts[c]}"));
            var more = scarce.Count > 3 ? $" and {scarce.Count - 3} more classes have fewer" : "";
            throw new ArgumentException(
                $"{source}: {perClass} examples per class were asked for, but {shown}{more}; ask for at most {counts.Min()} per class");
        }

        var byClass = new int[classCount][];
        var filled = new int[classCount];
        for (var c = 0; c < classCount; c++) byClass[c] = new int[counts[c]];
        for (var i = 0; i < labels.Length; i++) byClass[labels[i]][filled[labels[i]]++] = i;

        var chosen = new long[(long)classCount * perClass];
        var next = 0;
        for (var c = 0; c < classCount; c++)
        {
            // Partial Fisher–Yates: the first perClass slots end up a uniform sample without replacement.
            var pool = byClass[c];
            var random = new SeedMixer(SeedMixer.Mix(seed, c));
            for (var k = 0; k < perClass; k++)
            {
                var j = k + random.NextBelow(pool.Length - k);
                (pool[k], pool[j]) = (pool[j], pool[k]);
                chosen[next++] = pool[k];
            }
        }
        Array.Sort(chosen);
        return chosen;
    }
}
