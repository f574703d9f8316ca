namespace CoS.Distributed.Training.Data;

/// <summary>Errors about a data file that exists but cannot be used; every message starts with the file's path.</summary>
internal static class DataFileProblem
{
    public static InvalidDataException In(string path, string problem, Exception? inner = null) =>
        new($"{path}: {problem}", inner);
}
