using CoS.Distributed.Silo.Storage;

namespace CoS.Distributed.Silo.Tests.Storage;

public sealed class FileCheckpointStoreTests : CheckpointStoreContract, IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("cos-checkpoints-");
    private readonly FileCheckpointStore _store;

    public FileCheckpointStoreTests() => _store = new FileCheckpointStore(_root.FullName);

    protected override ICheckpointStore Store => _store;

    protected override async Task FlipStoredByteAsync(string location, int offset)
    {
        var path = Path.Combine(_root.FullName, location);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[offset] ^= 0xFF;
        await File.WriteAllBytesAsync(path, bytes);
    }

    protected override async Task WriteUnattemptedAsync(string sweep, string cellId, int epoch, byte[] content)
    {
        var folder = Path.Combine(_root.FullName, StorageNames.Segment(sweep), StorageNames.Segment(cellId));
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, $"epoch-{epoch:D6}.ckpt"), content);
    }

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task A_save_leaves_only_the_checkpoint_and_temp_files_never_list()
    {
        var sweep = NewSweep();
        var location = await _store.SaveAsync(sweep, "cell", 3, 1, RealCheckpoints.Bytes(3), CancellationToken.None);
        var folder = Path.GetDirectoryName(Path.Combine(_root.FullName, location))!;
        Assert.Equal(["epoch-000003.attempt-0001.ckpt"], Directory.GetFiles(folder).Select(Path.GetFileName));

        // What a crash between write and rename leaves behind, and names no store writes.
        await File.WriteAllBytesAsync(Path.Combine(folder, ".epoch-000004.attempt-0001.ckpt.0badc0de.tmp"), new byte[] { 1, 2 });
        await File.WriteAllBytesAsync(Path.Combine(folder, "epoch-4.ckpt"), new byte[] { 1, 2 });
        await File.WriteAllBytesAsync(Path.Combine(folder, "epoch-000004.attempt-01.ckpt"), new byte[] { 1, 2 });

        Assert.Equal([3], (await _store.ListAsync(sweep, "cell", CancellationToken.None)).Select(c => c.Epoch));
    }

    [Fact]
    public async Task Checkpoints_are_laid_out_by_sweep_cell_zero_padded_epoch_and_attempt()
    {
        var location = await _store.SaveAsync("paper-protocol", "0a1b2c", 12, 3, new byte[] { 1 }, CancellationToken.None);

        Assert.Equal("paper-protocol/0a1b2c/epoch-000012.attempt-0003.ckpt", location);
        Assert.True(File.Exists(Path.Combine(_root.FullName, "paper-protocol", "0a1b2c", "epoch-000012.attempt-0003.ckpt")));
    }

    [Fact]
    public async Task A_location_outside_the_root_is_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _store.ReadAsync("../../etc/passwd", CancellationToken.None));
        Assert.Contains("outside the store's root", error.Message, StringComparison.Ordinal);
    }
}
