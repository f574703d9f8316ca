namespace CoS.Distributed.Training.Data;

/// <summary>The data sets this project trains on, where they live, and how each is read and normalised.</summary>
public static class DatasetCatalog
{
    public const string FashionMnist = "fashion-mnist";
    public const string Mnist = "mnist";
    public const string Cifar10 = "cifar10";

    public static IReadOnlyList<string> Names { get; } = [FashionMnist, Mnist, Cifar10];

    /// <summary>Where a data set is looked for when <see cref="DatasetOptions.Path"/> is not given.</summary>
    public static string StandardPath(string name) => Canonical(name) switch
    {
        FashionMnist => "/usr/share/datasets/fashion-mnist",
        Mnist => "/usr/share/datasets/mnist",
        _ => "/usr/share/datasets/cifar10",
    };

    /// <summary>The per-channel normalisation a data set is stored with.</summary>
    public static Normalisation NormalisationOf(string name) => Canonical(name) switch
    {
        FashionMnist => Normalisation.FashionMnist,
        Mnist => Normalisation.Mnist,
        _ => Normalisation.Cifar10,
    };

    /// <summary>Checks the options, reads both splits, normalises them and takes the requested subsets.</summary>
    public static DataSplit Load(DatasetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var name = Canonical(options.Name);
        CheckPerClass(options.TrainPerClass, nameof(options.TrainPerClass));
        CheckPerClass(options.TestPerClass, nameof(options.TestPerClass));
        var folder = options.Path ?? StandardPath(name);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{name}: the folder {folder} does not exist. {HowToGet(name, folder)}");

        RawImages train, test;
        if (name == Cifar10)
        {
            var batches = ResolveCifarFolder(folder);
            var missing = Cifar10Reader.TrainFileNames.Append(Cifar10Reader.TestFileName)
                .Select(f => Path.Combine(batches, f)).Where(p => !File.Exists(p)).ToList();
            if (missing.Count > 0)
                throw new FileNotFoundException(
                    $"{name}: missing {string.Join(", ", missing)}. {HowToGet(name, folder)}", missing[0]);
            train = Cifar10Reader.ReadTrain(batches);
            test = Cifar10Reader.ReadTest(batches);
        }
        else
        {
            train = IdxReader.Read(FindIdx(name, folder, "train-images", 3), FindIdx(name, folder, "train-labels", 1));
            test = IdxReader.Read(FindIdx(name, folder, "t10k-images", 3), FindIdx(name, folder, "t10k-labels", 1));
        }

        var normalisation = NormalisationOf(name);
        var trainSet = Build($"{name} train", train, options.TrainPerClass, SeedMixer.Mix(options.SubsetSeed, 0), normalisation);
        try
        {
            var testSet = Build($"{name} test", test, options.TestPerClass, SeedMixer.Mix(options.SubsetSeed, 1), normalisation);
            return new DataSplit(trainSet, testSet);
        }
        catch
        {
            trainSet.Dispose();
            throw;
        }
    }

    private static InMemoryDataset Build(string source, RawImages raw, int? perClass, ulong seed, Normalisation normalisation)
    {
        var select = perClass is { } n
            ? StratifiedSubset.Select(raw.Labels.Span, IdxReader.ClassCount, n, unchecked((long)seed), source)
            : null;
        return InMemoryDataset.FromRaw(source, raw, IdxReader.ClassCount, normalisation, select);
    }

    private static string Canonical(string? name)
    {
        var known = Names.FirstOrDefault(n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        return known ?? throw new ArgumentException(
            $"Unknown data set '{name}'; choose one of {string.Join(", ", Names)}", nameof(name));
    }

    private static void CheckPerClass(int? perClass, string option)
    {
        if (perClass is <= 0)
            throw new ArgumentOutOfRangeException(option, perClass,
                $"{option} is {perClass}; it must be a positive number of examples per class, or unset to use them all");
    }

    // The CIFAR-10 archive extracts to a folder named cifar-10-batches-bin; accept that folder or its parent.
    private static string ResolveCifarFolder(string folder)
    {
        var nested = Path.Combine(folder, "cifar-10-batches-bin");
        return !File.Exists(Path.Combine(folder, Cifar10Reader.TestFileName)) && Directory.Exists(nested) ? nested : folder;
    }

    // The files are published gzipped; unpacked copies and the dotted names of some mirrors are accepted too.
    private static string FindIdx(string name, string folder, string stem, int rank)
    {
        var candidates = new[] { $"{stem}-idx{rank}-ubyte.gz", $"{stem}-idx{rank}-ubyte", $"{stem}.idx{rank}-ubyte" }
            .Select(f => Path.Combine(folder, f)).ToList();
        return candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException(
            $"{name}: {candidates[0]} not found (nor {string.Join(" nor ", candidates.Skip(1).Select(Path.GetFileName))}). "
            + HowToGet(name, folder), candidates[0]);
    }

    private static string HowToGet(string name, string folder) => name switch
    {
        FashionMnist => folder == StandardPath(name)
            ? "Install it with `apt-get install dataset-fashion-mnist`, or set the data set path to a folder holding the four Fashion-MNIST IDX files."
            : "Point the data set path at a folder holding the four Fashion-MNIST IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz), or leave it unset to use "
              + $"{StandardPath(name)} (`apt-get install dataset-fashion-mnist`).",
        Mnist => $"Put the four MNIST IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) in {folder}, or set the data set path to a folder that holds them.",
        _ => $"Download the binary version of CIFAR-10 (cifar-10-binary.tar.gz, https://www.cs.toronto.edu/~kriz/cifar.html), extract it into {folder}, or set the data set path to the folder holding data_batch_1.bin … data_batch_5.bin and test_batch.bin.",
    };
}
