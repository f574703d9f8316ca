using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Data;

/// <summary>
/// Cuts an in-memory data set into batches. Order and augmentation depend only on (seed, epoch), through a private
/// torch generator, so a resumed or repeated run sees exactly the same batches; the global torch RNG (used by
/// dropout) is never touched. Each batch is one index_select of the stored tensors, never a per-sample copy.
/// </summary>
public sealed class BatchLoader
{
    public BatchLoader(InMemoryDataset data, int batchSize, bool shuffle, bool augment)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"The batch size must be positive; got {batchSize}");
        Data = data;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Augment = augment;
    }

    public InMemoryDataset Data { get; }
    public int BatchSize { get; }
    public bool Shuffle { get; }

    /// <summary>Random crop (padding <see cref="CropAndFlip.StandardPadding"/>) and horizontal flip, per sample.</summary>
    public bool Augment { get; }

    /// <summary>Whole batches plus the last, smaller one when the count does not divide evenly.</summary>
    public int BatchesPerEpoch => (Data.Count + BatchSize - 1) / BatchSize;

    /// <summary>The seed of the generator behind one epoch's order and augmentation.</summary>
    public static ulong EpochSeed(long seed, int epoch) => SeedMixer.Mix(seed, epoch);

    /// <summary>
    /// The batches of one epoch. The same (seed, epoch) gives the same order and the same augmented pixels. Each
    /// yielded pair is the caller's to dispose: it is created in the dispose scope current when the enumerator
    /// advances (or in none), and nothing else stays alive per batch.
    /// </summary>
    public IEnumerable<(Tensor Images, Tensor Labels)> Batches(long seed, int epoch)
    {
        using var generator = new Generator(EpochSeed(seed, epoch));
        using var order = Detached(() => Shuffle
            ? randperm(Data.Count, ScalarType.Int64, generator: generator)
            : arange(Data.Count, ScalarType.Int64));
        using var padValues = Augment ? Detached(Data.Normalisation.BlackPixel) : null;

        for (var start = 0; start < Data.Count; start += BatchSize)
        {
            Tensor images, labels;
            using (var scope = NewDisposeScope())
            {
                var indices = order.narrow(0, start, Math.Min(BatchSize, Data.Count - start));
                images = Data.Images.index_select(0, indices);
                labels = Data.Labels.index_select(0, indices);
                if (padValues is not null) images = CropAndFlip.Random(images, padValues, generator);
                images.MoveToOuterDisposeScope();
                labels.MoveToOuterDisposeScope();
            }
            yield return (images, labels);
        }
    }

    // Tensors that live across yields must not land in a caller's scope, which could free them mid-epoch.
    private static Tensor Detached(Func<Tensor> create)
    {
        using var scope = NewDisposeScope();
        return create().DetachFromDisposeScope();
    }
}
