using static CoS.Distributed.Silo.Tests.Storage.StandaloneFileGrainStorage;

namespace CoS.Distributed.Silo.Tests.Storage;

/// <summary>Two real processes, each with its own FileGrainStorage, on one directory (see <see cref="FileGrainStorageChildProcess"/>).</summary>
public sealed class FileGrainStorageProcessTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cos-grain-processes-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Increments_racing_from_two_processes_lose_no_update()
    {
        const int EachProcess = 150;
        var key = "two-processes";
        var goFile = Path.Combine(_root, "go");
        using var child = FileGrainStorageChildProcess.StartIncrementing(Path.Combine(_root, "grains"), key, EachProcess, goFile);
        var childOutput = child.StandardOutput.ReadToEndAsync();
        var childErrors = child.StandardError.ReadToEndAsync();
        var storage = Create(Path.Combine(_root, "grains"));
        // The child is a fresh runtime: give it time to load before both start at once.
        await Task.Delay(TimeSpan.FromSeconds(2));

        await File.WriteAllTextAsync(goFile, "");
        var refusedHere = 0;
        for (var i = 0; i < EachProcess; i++)
            refusedHere += await Increment(storage, Grain(key), "test process");
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await child.WaitForExitAsync(patience.Token);

        var state = new GrainState<CounterState>();
        await storage.ReadStateAsync(StateName, Grain(key), state);
        var report = $"child exit {child.ExitCode}, refused writes: here {refusedHere}, child {(await childOutput).Trim()}; child stderr: {await childErrors}";
        Assert.True(child.ExitCode == 0, report);
        Assert.True(2 * EachProcess == state.State!.Count, $"count {state.State!.Count} of {2 * EachProcess}; {report}");
    }
}
