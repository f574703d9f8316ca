using CoS.Distributed.Client.Sweeps;

namespace CoS.Distributed.Client.Tests.Sweeps;

/// <summary>The sweep files shipped in the repository's sweeps/ folder are valid.</summary>
public sealed class ShippedSweepTests
{
    [Fact]
    public void TheRepositoryRootIsFound()
    {
        Assert.True(File.Exists(Path.Combine(RepositoryRoot(), "CoS.Distributed.sln")));
    }

    // One test over every file (none is fine), so that a failure lists every problem of every file at once.
    // Whether a data set is installed is a fact about the machine, so data folders are left to the run.
    [Fact]
    public void EveryShippedSweepHasNoProblems()
    {
        var folder = Path.Combine(RepositoryRoot(), "sweeps");
        var files = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

        var results = files.Select(f => SweepFile.Load(f, checkDataFolders: false)).ToList();

        Assert.True(results.All(r => r.Succeeded), string.Join("\n", results.SelectMany(r => r.Errors)));
        Assert.All(results, r => Assert.NotEmpty(r.Spec!.Seeds));
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CoS.Distributed.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException($"no CoS.Distributed.sln above {AppContext.BaseDirectory}");
    }
}
