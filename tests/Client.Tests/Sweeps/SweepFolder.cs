using CoS.Distributed.Client.Sweeps;

namespace CoS.Distributed.Client.Tests.Sweeps;

/// <summary>
/// A temporary folder to write sweep files into, with a data/ folder beside them that stands in for a data set
/// (validation only checks that the folder exists).
/// </summary>
internal sealed class SweepFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cos-sweep-files-").FullName;

    public SweepFolder() => Directory.CreateDirectory(Data);

    public string Data => System.IO.Path.Combine(Path, "data");

    /// <summary>Writes <paramref name="yaml"/> as <paramref name="fileName"/> and loads it.</summary>
    public SweepFileResult Load(string yaml, string fileName = "sweep.yaml", bool checkDataFolders = true)
    {
        var file = System.IO.Path.Combine(Path, fileName);
        File.WriteAllText(file, yaml);
        return SweepFile.Load(file, checkDataFolders);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    /// <summary>The 1-based line of the first line of <paramref name="yaml"/> that contains <paramref name="text"/>.</summary>
    public static int LineOf(string yaml, string text)
    {
        var lines = yaml.Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        Assert.True(index >= 0, $"'{text}' is not in the sweep file");
        return index + 1;
    }

    /// <summary>The 1-based column where <paramref name="text"/> starts on its line.</summary>
    public static int ColumnOf(string yaml, string text) =>
        yaml.Split('\n')[LineOf(yaml, text) - 1].IndexOf(text, StringComparison.Ordinal) + 1;
}
