using System.Globalization;
using CoS.Distributed.Training.Data;

namespace CoS.Distributed.Grains.Sweeps;

/// <summary>
/// The largest values a sweep may ask for. Each is generous for research, and stops an absurd value (an mlp 10⁹
/// units wide, a batch of 10⁹ images) before it reaches the training core, where it would end the silo in a native
/// out-of-memory crash that nothing can catch. The values and their reasons are listed in src/Client/Sweeps/FORMAT.md.
/// </summary>
public static class SweepBounds
{
    /// <summary>Epochs per cell; every epoch's metrics are kept in the cell's state.</summary>
    public const int MaxEpochs = 10_000;

    /// <summary>Examples per batch on one slot: 2¹⁶, so full-batch training of MNIST (60,000) and CIFAR-10 (50,000) fits.</summary>
    public const int MaxBatchSize = 65_536;

    /// <summary>mobilenet_v2's width multiplier: 4 is already about 16 times the standard network's parameters.</summary>
    public const double MaxWidthMultiplier = 4.0;

    /// <summary>Hidden layers of the mlp.</summary>
    public const int MaxDepth = 1_000;

    /// <summary>Units per hidden layer of the mlp.</summary>
    public const int MaxWidth = 65_536;

    /// <summary>
    /// Parameters of one mlp, where width and depth multiply: 4 GB of float32 weights, about 16 GB while training
    /// (gradients and optimiser state).
    /// </summary>
    public const long MaxMlpParameters = 1_000_000_000;

    /// <summary>Attempts per cell: a cell that failed this often fails for a reason a retry does not fix.</summary>
    public const int MaxAttempts = 100;

    /// <summary>Checkpoints kept per cell: one per epoch of the longest run.</summary>
    public const int MaxKeepCheckpoints = MaxEpochs;

    private const int Classes = 10;

    /// <summary>The problem with <paramref name="value"/> when it is above <paramref name="bound"/>, else null.</summary>
    internal static string? Above(int value, int bound, string unit) =>
        value > bound ? Message(Show(value), Show(bound), unit) : null;

    /// <inheritdoc cref="Above(int, int, string)"/>
    internal static string? Above(double value, double bound, string unit) =>
        value > bound ? Message(Show(value), Show(bound), unit) : null;

    /// <summary>
    /// Every mlp of the sweep whose width and depth together exceed <see cref="MaxMlpParameters"/> on one of its
    /// data sets: one problem per width, naming the depths that make it too large.
    /// </summary>
    internal static IEnumerable<string> MlpProblems(IReadOnlyList<string> datasets, IReadOnlyList<int> widths, IReadOnlyList<int> depths)
    {
        if (datasets.Count == 0) return [];
        // The largest input among the sweep's data sets gives the largest first layer.
        var dataset = datasets.MaxBy(InputSize)!;
        var problems = new List<string>();
        foreach (var width in widths)
        {
            var tooDeep = depths.Where(d => MlpParameters(InputSize(dataset), width, d) > MaxMlpParameters).ToList();
            if (tooDeep.Count == 0) continue;
            var parameters = MlpParameters(InputSize(dataset), width, tooDeep[0]);
            problems.Add($"training.widths: {Show(width)} with training.depths [{string.Join(", ", tooDeep.Select(Show))}] makes an mlp of "
                + $"{parameters.ToString("N0", CultureInfo.InvariantCulture)} parameters on {dataset}, above the bound of "
                + $"{MaxMlpParameters.ToString("N0", CultureInfo.InvariantCulture)} parameters (4 GB of float32 weights, about 16 GB while training); "
                + "give a smaller width or depth");
        }
        return problems;
    }

    /// <summary>Weights and biases of FullyConnectedNetwork: input → depth × (Linear width) → Linear classes.</summary>
    internal static long MlpParameters(long inputs, long width, long depth) =>
        depth == 0
            ? (inputs * Classes) + Classes
            : (inputs * width) + width + ((depth - 1) * ((width * width) + width)) + (width * Classes) + Classes;

    // Channels × height × width of each data set's images, as the training core reads them.
    private static long InputSize(string dataset) => dataset == DatasetCatalog.Cifar10 ? 3 * 32 * 32 : 28 * 28;

    private static string Message(string value, string bound, string unit) =>
        $"{value} is above the bound of {bound}{(unit.Length == 0 ? "" : " " + unit)}; give at most {bound} (the bounds are in src/Client/Sweeps/FORMAT.md)";

    private static string Show(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
