using CoS.Distributed.Silo.Storage;
using static CoS.Distributed.Silo.Tests.Storage.StandaloneFileGrainStorage;

namespace CoS.Distributed.Silo.Tests.Storage;

/// <summary>
/// Temp files: a writer writes ".&lt;file&gt;.tmp" next to the grain's file while it holds the grain's lock file
/// ".&lt;file&gt;.lock" and renames it over the file; the previous version named them ".&lt;file&gt;.&lt;guid&gt;.tmp".
/// A temp file whose writer is gone is removed; one whose writer still holds the lock is not.
/// </summary>
public sealed class FileGrainStorageTempFileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cos-grain-temps-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Folder => Path.Combine(_root, StateName);

    [Fact]
    public async Task Temp_files_left_by_crashed_writers_are_removed_when_a_storage_next_writes_there()
    {
        var first = Create(_root);
        var a = await Write(first, "crashed-a", 1);
        var b = await Write(first, "crashed-b", 1);
        var crashedNow = Path.Combine(Folder, $".{Path.GetFileName(first.PathOf(StateName, Grain("crashed-a")))}.tmp");
        var crashedBefore = Path.Combine(Folder, $".{Path.GetFileName(first.PathOf(StateName, Grain("crashed-b")))}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(crashedNow, "{\"half\": ");
        await File.WriteAllTextAsync(crashedBefore, "{\"half\": ");

        var restarted = Create(_root);
        await Write(restarted, "crashed-c", 1);

        Assert.Empty(Directory.GetFiles(Folder, "*.tmp"));
        Assert.Equal((a.ETag, 1), await Read(restarted, "crashed-a"));
        Assert.Equal((b.ETag, 1), await Read(restarted, "crashed-b"));
    }

    [Fact]
    public async Task A_temp_file_whose_writer_holds_the_grain_lock_is_kept()
    {
        await Write(Create(_root), "live", 1);
        var file = Path.GetFileName(Create(_root).PathOf(StateName, Grain("live")));
        var temp = Path.Combine(Folder, $".{file}.tmp");
        var liveWriter = new FileStream(Path.Combine(Folder, $".{file}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        await File.WriteAllTextAsync(temp, "{\"being\": \"written\"");

        await Write(Create(_root), "other", 1);
        var keptWhileLive = File.Exists(temp);
        await liveWriter.DisposeAsync();
        await Write(Create(_root), "other", 2);

        Assert.True(keptWhileLive, "the temp file of a writer holding the lock was deleted");
        Assert.False(File.Exists(temp), "the temp file stayed after its writer let go of the lock");
    }

    [Fact]
    public async Task A_write_that_fails_leaves_no_temp_file_and_the_previous_state()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var storage = Create(_root);
        var written = await Write(storage, "disk-full", 1);
        // The next temp file is a link to /dev/full: writing it fails as on a full disk.
        var temp = Path.Combine(Folder, $".{Path.GetFileName(storage.PathOf(StateName, Grain("disk-full")))}.tmp");
        File.CreateSymbolicLink(temp, "/dev/full");

        var next = new GrainState<CounterState> { State = new CounterState { Count = 2 }, ETag = written.ETag };
        await Assert.ThrowsAsync<IOException>(() => storage.WriteStateAsync(StateName, Grain("disk-full"), next));

        Assert.Empty(Directory.GetFiles(Folder, "*.tmp"));
        Assert.Equal((written.ETag, 1), await Read(Create(_root), "disk-full"));
    }

    private static async Task<GrainState<CounterState>> Write(FileGrainStorage storage, string key, int count)
    {
        var state = new GrainState<CounterState>();
        await storage.ReadStateAsync(StateName, Grain(key), state);
        state.State = new CounterState { Count = count };
        await storage.WriteStateAsync(StateName, Grain(key), state);
        return state;
    }

    private static async Task<(string? ETag, int Count)> Read(FileGrainStorage storage, string key)
    {
        var state = new GrainState<CounterState>();
        await storage.ReadStateAsync(StateName, Grain(key), state);
        return (state.ETag, state.State!.Count);
    }
}
