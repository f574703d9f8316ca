using System.Diagnostics;
using System.Globalization;

namespace CoS.Distributed.Silo.Tests.Storage;

/// <summary>
/// This test assembly doubles as a second process for the storage tests (Silo.Tests.csproj turns off the test
/// SDK's generated entry point): `dotnet CoS.Distributed.Silo.Tests.dll increment ROOT KEY COUNT GO-FILE` waits for
/// GO-FILE to appear, then adds COUNT to the grain's count through its own FileGrainStorage on ROOT and prints how
/// many of its writes were refused.
/// </summary>
public static class FileGrainStorageChildProcess
{
    private const string IncrementCommand = "increment";

    public static async Task<int> Main(string[] args)
    {
        if (args is not [IncrementCommand, var root, var key, var count, var goFile])
        {
            await Console.Error.WriteLineAsync($"usage: {IncrementCommand} ROOT KEY COUNT GO-FILE");
            return 2;
        }
        var storage = StandaloneFileGrainStorage.Create(root);
        var grain = StandaloneFileGrainStorage.Grain(key);
        while (!File.Exists(goFile))
            await Task.Delay(1);
        var refused = 0;
        for (var i = 0; i < int.Parse(count, CultureInfo.InvariantCulture); i++)
            refused += await StandaloneFileGrainStorage.Increment(storage, grain, $"process {Environment.ProcessId}");
        Console.WriteLine(refused.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>Starts the child; its stdout and stderr are read when it has exited.</summary>
    public static Process StartIncrementing(string root, string key, int count, string goFile)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(FileGrainStorageChildProcess).Assembly.Location);
        foreach (var argument in new[] { IncrementCommand, root, key, count.ToString(CultureInfo.InvariantCulture), goFile })
            start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }
}
