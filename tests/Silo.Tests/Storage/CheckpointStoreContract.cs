using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Silo.Storage;
using CoS.Distributed.Training.Checkpoints;

namespace CoS.Distributed.Silo.Tests.Storage;

/// <summary>What every checkpoint store promises; run against the file system and against Azurite.</summary>
public abstract class CheckpointStoreContract
{
    protected abstract ICheckpointStore Store { get; }

    /// <summary>Damages the stored copy behind a location by flipping one byte, the way a bad disk or a torn copy would.</summary>
    protected abstract Task FlipStoredByteAsync(string location, int offset);

    /// <summary>Stores a checkpoint the way this store named them before names carried the attempt ("epoch-000004.ckpt").</summary>
    protected abstract Task WriteUnattemptedAsync(string sweep, string cellId, int epoch, byte[] content);

    protected static string NewSweep() => "sweep-" + Guid.NewGuid().ToString("N")[..10];

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Saved_checkpoints_list_read_back_and_delete()
    {
        var sweep = NewSweep();
        var contents = Enumerable.Range(1, 3).ToDictionary(e => e, e => RealCheckpoints.Bytes(e));
        var locations = new Dictionary<int, string>();
        foreach (var (epoch, bytes) in contents)
            locations[epoch] = await Store.SaveAsync(sweep, "cell-a", epoch, 1, bytes, None);

        var listed = await Store.ListAsync(sweep, "cell-a", None);
        Assert.Equal([3, 2, 1], listed.Select(c => c.Epoch));
        Assert.Equal(listed.Select(c => locations[c.Epoch]), listed.Select(c => c.Location));
        Assert.Equal(listed.Select(c => (long)contents[c.Epoch].Length), listed.Select(c => c.Bytes));
        foreach (var (epoch, location) in locations)
            Assert.Equal(contents[epoch], await Store.ReadAsync(location, None));

        await Store.DeleteAsync(locations[2], None);
        Assert.Equal([3, 1], (await Store.ListAsync(sweep, "cell-a", None)).Select(c => c.Epoch));
        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.ReadAsync(locations[2], None));
        await Store.DeleteAsync(locations[2], None);
    }

    [Fact]
    public async Task Listing_is_newest_epoch_first_by_number()
    {
        var sweep = NewSweep();
        foreach (var epoch in new[] { 9, 100, 2, 10, 0 })
            await Store.SaveAsync(sweep, "cell-b", epoch, 1, new byte[] { (byte)epoch }, None);

        Assert.Equal([100, 10, 9, 2, 0], (await Store.ListAsync(sweep, "cell-b", None)).Select(c => c.Epoch));
    }

    [Fact]
    public async Task Listing_puts_later_attempts_of_an_epoch_first()
    {
        var sweep = NewSweep();
        foreach (var (epoch, attempt) in new[] { (2, 1), (3, 2), (2, 3), (3, 10), (1, 4) })
            await Store.SaveAsync(sweep, "cell-b2", epoch, attempt, new byte[] { (byte)attempt }, None);

        Assert.Equal([(3, 10), (3, 2), (2, 3), (2, 1), (1, 4)],
            (await Store.ListAsync(sweep, "cell-b2", None)).Select(c => (c.Epoch, c.Attempt)));
    }

    [Fact]
    public async Task Saving_an_attempts_epoch_again_replaces_its_checkpoint()
    {
        var sweep = NewSweep();
        var first = await Store.SaveAsync(sweep, "cell-c", 4, 1, RealCheckpoints.Bytes(4, stateBytes: 8192), None);
        var second = await Store.SaveAsync(sweep, "cell-c", 4, 1, RealCheckpoints.Bytes(5, stateBytes: 1024), None);

        Assert.Equal(first, second);
        var only = Assert.Single(await Store.ListAsync(sweep, "cell-c", None));
        Assert.Equal(RealCheckpoints.Bytes(5, stateBytes: 1024), await Store.ReadAsync(only.Location, None));
    }

    [Fact]
    public async Task Two_attempts_saving_one_epoch_never_replace_each_other()
    {
        var sweep = NewSweep();
        var current = await Store.SaveAsync(sweep, "cell-c2", 4, 3, RealCheckpoints.Bytes(4), None);
        var fenced = await Store.SaveAsync(sweep, "cell-c2", 4, 2, RealCheckpoints.Bytes(5), None);

        Assert.NotEqual(current, fenced);
        Assert.Equal(RealCheckpoints.Bytes(4), await Store.ReadAsync(current, None));
        Assert.Equal([(4, 3, current), (4, 2, fenced)],
            (await Store.ListAsync(sweep, "cell-c2", None)).Select(c => (c.Epoch, c.Attempt, c.Location)));
    }

    [Fact]
    public async Task Checkpoints_named_before_names_carried_the_attempt_list_as_attempt_zero()
    {
        var sweep = NewSweep();
        await WriteUnattemptedAsync(sweep, "cell-c3", 4, RealCheckpoints.Bytes(4));
        await Store.SaveAsync(sweep, "cell-c3", 4, 1, RealCheckpoints.Bytes(5), None);
        await Store.SaveAsync(sweep, "cell-c3", 3, 1, RealCheckpoints.Bytes(3), None);

        var listed = await Store.ListAsync(sweep, "cell-c3", None);

        Assert.Equal([(4, 1), (4, 0), (3, 1)], listed.Select(c => (c.Epoch, c.Attempt)));
        Assert.Equal(RealCheckpoints.Bytes(4), await Store.ReadAsync(listed[1].Location, None));
    }

    [Fact]
    public async Task A_cell_without_checkpoints_lists_none()
    {
        Assert.Empty(await Store.ListAsync(NewSweep(), "never-saved", None));
    }

    [Fact]
    public async Task Sweeps_are_isolated_even_for_the_same_cell_id()
    {
        var (one, two) = (NewSweep(), NewSweep());
        var inOne = await Store.SaveAsync(one, "shared-cell", 1, 1, new byte[] { 1 }, None);
        await Store.SaveAsync(two, "shared-cell", 1, 1, new byte[] { 2 }, None);
        await Store.SaveAsync(two, "shared-cell", 2, 1, new byte[] { 2, 2 }, None);

        Assert.Equal([1], (await Store.ListAsync(one, "shared-cell", None)).Select(c => c.Epoch));
        Assert.Equal([2, 1], (await Store.ListAsync(two, "shared-cell", None)).Select(c => c.Epoch));
        await Store.DeleteAsync(inOne, None);
        Assert.Empty(await Store.ListAsync(one, "shared-cell", None));
        Assert.Equal(2, (await Store.ListAsync(two, "shared-cell", None)).Count);
    }

    [Theory]
    [InlineData("My Sweep: ReLU vs CoS (final)")]
    [InlineData("..")]
    [InlineData("a")]
    [InlineData("UPPER")]
    [InlineData("ünïcødé-sweep")]
    [InlineData("a-very-long-sweep-name-that-goes-on-and-on-well-past-sixty-three-characters-and-more-and-more-and-more")]
    public async Task Any_sweep_name_stores_its_checkpoints_apart(string sweep)
    {
        var unique = sweep + Guid.NewGuid().ToString("N")[..6];
        var location = await Store.SaveAsync(unique, "cell/with:odd*chars", 3, 1, new byte[] { 3, 1, 4 }, None);

        var listed = Assert.Single(await Store.ListAsync(unique, "cell/with:odd*chars", None));
        Assert.Equal((3, location), (listed.Epoch, listed.Location));
        Assert.Equal(new byte[] { 3, 1, 4 }, await Store.ReadAsync(location, None));
        var otherCase = unique.ToUpperInvariant();
        if (!string.Equals(otherCase, unique, StringComparison.Ordinal))
            Assert.Empty(await Store.ListAsync(otherCase, "cell/with:odd*chars", None));
    }

    [Fact]
    public async Task Readers_never_see_a_half_written_checkpoint()
    {
        var sweep = NewSweep();
        var versions = Enumerable.Range(1, 4).Select(v => RealCheckpoints.Bytes(v, stateBytes: 256 * 1024 * v)).ToArray();
        var location = await Store.SaveAsync(sweep, "cell-d", 7, 1, versions[0], None);
        using var stop = new CancellationTokenSource();
        var reads = 0;
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var seen = await Store.ReadAsync(location, None);
                Assert.Contains(versions, v => v.AsSpan().SequenceEqual(seen));
                reads++;
            }
        });
        for (var round = 0; round < 12; round++)
            await Store.SaveAsync(sweep, "cell-d", 7, 1, versions[round % versions.Length], None);
        await stop.CancelAsync();
        await reader;

        Assert.True(reads > 0);
        Assert.Single(await Store.ListAsync(sweep, "cell-d", None));
    }

    [Fact]
    public async Task Retention_keeps_the_acknowledged_checkpoint_and_the_newest_older_ones_of_each_cell()
    {
        var sweep = NewSweep();
        var retention = new CheckpointRetention(Store, keep: 2);
        for (var epoch = 1; epoch <= 5; epoch++)
        {
            foreach (var cell in new[] { "cell-e", "cell-f" })
            {
                var saved = await retention.SaveAsync(sweep, cell, epoch, 1, RealCheckpoints.Bytes(epoch), None);
                await retention.PruneAsync(sweep, cell, saved, None);
            }
        }

        Assert.Equal([5, 4], (await Store.ListAsync(sweep, "cell-e", None)).Select(c => c.Epoch));
        Assert.Equal([5, 4], (await Store.ListAsync(sweep, "cell-f", None)).Select(c => c.Epoch));
    }

    [Fact]
    public async Task A_save_prunes_nothing_before_the_grain_acknowledges_it()
    {
        var sweep = NewSweep();
        var retention = new CheckpointRetention(Store, keep: 1);
        for (var epoch = 1; epoch <= 3; epoch++)
            await retention.SaveAsync(sweep, "cell-e2", epoch, 1, new byte[] { (byte)epoch }, None);

        Assert.Equal([3, 2, 1], (await Store.ListAsync(sweep, "cell-e2", None)).Select(c => c.Epoch));
    }

    [Fact]
    public async Task Pruning_deletes_only_checkpoints_older_than_the_acknowledged_one()
    {
        var sweep = NewSweep();
        // Attempt 1 was fenced off after it got to epoch 7; attempt 3 started later than this one (attempt 2), which is
        // therefore fenced off too, but has not heard yet.
        foreach (var (epoch, attempt) in new[] { (7, 1), (6, 1), (3, 3), (3, 1), (2, 2), (2, 1), (1, 2) })
            await Store.SaveAsync(sweep, "cell-g", epoch, attempt, new byte[] { (byte)epoch }, None);
        var retention = new CheckpointRetention(Store, keep: 2);
        var acknowledged = await retention.SaveAsync(sweep, "cell-g", 3, 2, new byte[] { 3 }, None);

        var deleted = await retention.PruneAsync(sweep, "cell-g", acknowledged, None);

        Assert.Equal([(2, 2), (2, 1), (1, 2)], deleted.Select(c => (c.Epoch, c.Attempt)));
        Assert.Equal([(7, 1), (6, 1), (3, 3), (3, 2), (3, 1)],
            (await Store.ListAsync(sweep, "cell-g", None)).Select(c => (c.Epoch, c.Attempt)));
    }

    [Fact]
    public async Task Loading_returns_the_newest_checkpoint_that_verifies()
    {
        var sweep = NewSweep();
        for (var epoch = 1; epoch <= 3; epoch++)
            await Store.SaveAsync(sweep, "cell-h", epoch, 1, RealCheckpoints.Bytes(epoch), None);

        var loaded = await new CheckpointLoader(Store).LoadAsync(sweep, "cell-h", 3, null, RealCheckpoints.Fingerprint, None);

        Assert.NotNull(loaded);
        Assert.Equal(3, loaded.Stored.Epoch);
        Assert.Equal(3, loaded.Value.Epoch);
        Assert.Equal(3, loaded.Value.Metrics.Count);
        Assert.Empty(loaded.Skipped);
    }

    [Fact]
    public async Task Loading_falls_back_to_the_previous_checkpoint_when_the_newest_is_corrupt()
    {
        var sweep = NewSweep();
        string newest = "";
        for (var epoch = 1; epoch <= 3; epoch++)
            newest = await Store.SaveAsync(sweep, "cell-i", epoch, 1, RealCheckpoints.Bytes(epoch), None);
        await FlipStoredByteAsync(newest, offset: 500);

        var loaded = await new CheckpointLoader(Store).LoadAsync(sweep, "cell-i", 3, null, RealCheckpoints.Fingerprint, None);

        Assert.NotNull(loaded);
        Assert.Equal(2, loaded.Value.Epoch);
        var skipped = Assert.Single(loaded.Skipped);
        Assert.Equal(3, skipped.Stored.Epoch);
        Assert.Contains(nameof(CheckpointProblem.HashMismatch), skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loading_returns_null_when_every_checkpoint_is_corrupt()
    {
        var sweep = NewSweep();
        for (var epoch = 1; epoch <= 2; epoch++)
            await FlipStoredByteAsync(await Store.SaveAsync(sweep, "cell-j", epoch, 1, RealCheckpoints.Bytes(epoch), None), offset: 40);

        Assert.Null(await new CheckpointLoader(Store).LoadAsync(sweep, "cell-j", 2, null, RealCheckpoints.Fingerprint, None));
        Assert.Null(await new CheckpointLoader(Store).LoadAsync(NewSweep(), "cell-j", 2, null, RealCheckpoints.Fingerprint, None));
    }

    [Fact]
    public async Task Loading_ignores_checkpoints_newer_than_the_last_acknowledged_epoch()
    {
        var sweep = NewSweep();
        for (var epoch = 1; epoch <= 4; epoch++)
            await Store.SaveAsync(sweep, "cell-k", epoch, 1, RealCheckpoints.Bytes(epoch), None);

        var loaded = await new CheckpointLoader(Store).LoadAsync(sweep, "cell-k", 2, null, RealCheckpoints.Fingerprint, None);

        Assert.Equal(2, loaded?.Value.Epoch);
        Assert.Empty(loaded!.Skipped);
    }

    [Fact]
    public async Task Loading_skips_checkpoints_of_another_configuration_and_misfiled_epochs()
    {
        var sweep = NewSweep();
        await Store.SaveAsync(sweep, "cell-l", 1, 1, RealCheckpoints.Bytes(1), None);
        await Store.SaveAsync(sweep, "cell-l", 2, 1, RealCheckpoints.Bytes(5), None);
        await Store.SaveAsync(sweep, "cell-l", 3, 1, RealCheckpoints.Bytes(3, fingerprint: new string('e', 64)), None);

        var loaded = await new CheckpointLoader(Store).LoadAsync(sweep, "cell-l", 3, null, RealCheckpoints.Fingerprint, None);

        Assert.Equal(1, loaded?.Value.Epoch);
        Assert.Equal([3, 2], loaded!.Skipped.Select(s => s.Stored.Epoch));
        Assert.Contains(nameof(CheckpointProblem.WrongConfiguration), loaded.Skipped[0].Reason, StringComparison.Ordinal);
        Assert.Contains("holds epoch 5", loaded.Skipped[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loading_starts_from_the_acknowledged_checkpoint_even_when_a_newer_one_exists()
    {
        var sweep = NewSweep();
        await Store.SaveAsync(sweep, "cell-m", 1, 1, RealCheckpoints.Bytes(1), None);
        var acknowledged = await Store.SaveAsync(sweep, "cell-m", 2, 1, RealCheckpoints.Bytes(2), None);
        // Never acknowledged: the attempt that wrote it was fenced off before its report was accepted.
        await Store.SaveAsync(sweep, "cell-m", 3, 2, RealCheckpoints.Bytes(3), None);

        var loaded = await new CheckpointLoader(Store).LoadAsync(sweep, "cell-m", 3, new CheckpointPointer(2, acknowledged), RealCheckpoints.Fingerprint, None);

        Assert.Equal((2, acknowledged), (loaded?.Value.Epoch, loaded?.Stored.Location));
        Assert.Empty(loaded!.Skipped);
    }

    [Fact]
    public async Task Loading_falls_back_to_any_attempts_checkpoint_when_the_acknowledged_one_is_damaged_or_gone()
    {
        var sweep = NewSweep();
        await Store.SaveAsync(sweep, "cell-n", 1, 1, RealCheckpoints.Bytes(1), None);
        var otherAttempt = await Store.SaveAsync(sweep, "cell-n", 2, 1, RealCheckpoints.Bytes(2), None);
        var acknowledged = await Store.SaveAsync(sweep, "cell-n", 2, 2, RealCheckpoints.Bytes(2), None);
        await FlipStoredByteAsync(acknowledged, offset: 300);
        var loader = new CheckpointLoader(Store);

        var damaged = await loader.LoadAsync(sweep, "cell-n", 2, new CheckpointPointer(2, acknowledged), RealCheckpoints.Fingerprint, None);
        await Store.DeleteAsync(acknowledged, None);
        var gone = await loader.LoadAsync(sweep, "cell-n", 2, new CheckpointPointer(2, acknowledged), RealCheckpoints.Fingerprint, None);

        Assert.Equal(otherAttempt, damaged?.Stored.Location);
        Assert.Contains(nameof(CheckpointProblem.HashMismatch), Assert.Single(damaged!.Skipped).Reason, StringComparison.Ordinal);
        Assert.Equal(otherAttempt, gone?.Stored.Location);
        var skipped = Assert.Single(gone!.Skipped);
        Assert.Equal((2, 2, acknowledged), (skipped.Stored.Epoch, skipped.Stored.Attempt, skipped.Stored.Location));
        Assert.Contains("not among the cell's checkpoints", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_reader_gets_only_checkpoints_that_hold_the_epoch_their_name_says()
    {
        var sweep = NewSweep();
        await Store.SaveAsync(sweep, "cell-o", 1, 1, RealCheckpoints.Bytes(1), None);
        var misfiled = await Store.SaveAsync(sweep, "cell-o", 3, 1, RealCheckpoints.Bytes(2), None);
        var read = new List<int>();

        var loaded = await new CheckpointLoader(Store).LoadAsync(sweep, "cell-o", 3, new CheckpointPointer(3, misfiled), bytes =>
        {
            var checkpoint = CheckpointFormat.Read(new MemoryStream(bytes), RealCheckpoints.Fingerprint);
            read.Add(checkpoint.Epoch);
            return checkpoint;
        }, None);

        Assert.Equal([2, 1], read);
        Assert.Equal(1, loaded?.Value.Epoch);
        Assert.Contains("stored as epoch 3 holds epoch 2", Assert.Single(loaded!.Skipped).Reason, StringComparison.Ordinal);
    }
}
