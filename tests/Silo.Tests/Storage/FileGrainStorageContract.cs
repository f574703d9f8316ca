using CoS.Distributed.Silo.Storage;
using Orleans.Storage;
using static CoS.Distributed.Silo.Tests.Storage.StandaloneFileGrainStorage;

namespace CoS.Distributed.Silo.Tests.Storage;

/// <summary>
/// The cases of Orleans.Persistence.TestKit's GrainStorageTestRunner (write-read, an ETag the store never issued,
/// a duplicate first write, clear then read, parallel writes), plus a stale-ETag write and clear and writers racing
/// with one ETag, run against <see cref="FileGrainStorage"/> instances on one directory. With more than one
/// instance, writes go through one and reads through another, and racing writers are spread over all of them, as
/// silos in one process or processes on one machine would be.
/// </summary>
public abstract class FileGrainStorageContract : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cos-grain-contract-").FullName;
    private readonly FileGrainStorage[] _storages;

    protected FileGrainStorageContract(int instances) =>
        _storages = [.. Enumerable.Range(0, instances).Select(_ => StandaloneFileGrainStorage.Create(_root))];

    private FileGrainStorage Writer => _storages[0];

    private FileGrainStorage Reader => _storages[^1];

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_write_reads_back_with_its_etag_and_state()
    {
        var grain = Grain("write-read-" + Guid.NewGuid().ToString("N"));
        var written = new GrainState<CounterState> { State = new CounterState { Writer = "Запись", Count = 7 } };

        await Writer.WriteStateAsync(StateName, grain, written);
        var read = await Read(Reader, grain);

        Assert.NotNull(written.ETag);
        Assert.Equal((written.ETag, written.State, true), (read.ETag, read.State, read.RecordExists));
    }

    [Fact]
    public async Task A_write_with_an_etag_the_store_never_issued_is_refused()
    {
        var grain = Grain("inconsistent-" + Guid.NewGuid().ToString("N"));
        var state = new GrainState<CounterState> { State = new CounterState { Count = 1 }, ETag = "1234567" };

        await Assert.ThrowsAsync<InconsistentStateException>(() => Writer.WriteStateAsync(StateName, grain, state));

        Assert.False((await Read(Reader, grain)).RecordExists);
    }

    [Fact]
    public async Task A_second_first_write_of_a_grain_is_refused()
    {
        var grain = Grain("duplicate-" + Guid.NewGuid().ToString("N"));
        await Writer.WriteStateAsync(StateName, grain, new GrainState<CounterState> { State = new CounterState { Writer = "first" } });

        var duplicate = new GrainState<CounterState> { State = new CounterState { Writer = "second" }, ETag = null };
        await Assert.ThrowsAsync<InconsistentStateException>(() => Reader.WriteStateAsync(StateName, grain, duplicate));

        Assert.Equal("first", (await Read(Writer, grain)).State!.Writer);
    }

    [Fact]
    public async Task A_write_or_clear_with_the_etag_before_the_last_write_is_refused()
    {
        var grain = Grain("stale-" + Guid.NewGuid().ToString("N"));
        var state = new GrainState<CounterState> { State = new CounterState { Count = 1 } };
        await Writer.WriteStateAsync(StateName, grain, state);
        var stale = new GrainState<CounterState> { State = new CounterState { Count = 99 }, ETag = state.ETag };
        state.State = new CounterState { Count = 2 };
        await Writer.WriteStateAsync(StateName, grain, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Reader.WriteStateAsync(StateName, grain, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Reader.ClearStateAsync(StateName, grain, stale));

        var stored = await Read(Reader, grain);
        Assert.Equal((state.ETag, 2, true), (stored.ETag, stored.State!.Count, stored.RecordExists));
    }

    [Fact]
    public async Task Clearing_then_reading_gives_empty_state_and_the_cleared_etag_writes_afresh()
    {
        var grain = Grain("clear-" + Guid.NewGuid().ToString("N"));
        var state = new GrainState<CounterState> { State = new CounterState { Count = 5 } };
        await Writer.WriteStateAsync(StateName, grain, state);
        var written = state.ETag;

        await Reader.ClearStateAsync(StateName, grain, state);
        var cleared = await Read(Writer, grain);
        var afresh = new GrainState<CounterState> { State = new CounterState { Count = 1 }, ETag = state.ETag };
        await Writer.WriteStateAsync(StateName, grain, afresh);

        Assert.NotEqual(written, state.ETag);
        Assert.Equal((false, (string?)null, 0), (cleared.RecordExists, cleared.ETag, cleared.State!.Count));
        Assert.Equal((true, 1), (afresh.RecordExists, (await Read(Reader, grain)).State!.Count));
    }

    [Fact]
    public async Task Parallel_writes_to_different_grains_each_keep_their_own_state()
    {
        // TestKit writes 100 grains 10 times each; 24 x 5 keeps the case (every write read back through the
        // other instance, every ETag new) within 2 shared cores.
        var grains = Enumerable.Range(0, 24).Select(i => (Id: Grain($"parallel-{i}-{Guid.NewGuid():N}"), Index: i)).ToList();

        await Parallel.ForEachAsync(grains, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount * 3 }, async (grain, _) =>
        {
            var state = new GrainState<CounterState> { State = new CounterState() };
            for (var write = 1; write <= 5; write++)
            {
                var before = state.ETag;
                state.State = new CounterState { Writer = $"grain {grain.Index}", Count = write };
                await _storages[grain.Index % _storages.Length].WriteStateAsync(StateName, grain.Id, state);
                var read = await Read(_storages[(grain.Index + 1) % _storages.Length], grain.Id);
                Assert.NotEqual(before, state.ETag);
                Assert.Equal((state.ETag, state.State), (read.ETag, read.State));
            }
        });
    }

    [Fact]
    public async Task Of_writers_racing_with_one_etag_exactly_one_wins_each_round()
    {
        const int Rounds = 20;
        const int Writers = 6;
        var grain = Grain("race-" + Guid.NewGuid().ToString("N"));
        var winners = new List<int>();

        for (var round = 0; round < Rounds; round++)
        {
            var etag = (await Read(Writer, grain)).ETag;
            var attempts = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
            {
                var state = new GrainState<CounterState> { State = new CounterState { Writer = $"writer {writer}", Count = round }, ETag = etag };
                try
                {
                    await _storages[writer % _storages.Length].WriteStateAsync(StateName, grain, state);
                    return true;
                }
                catch (InconsistentStateException)
                {
                    return false;
                }
            })).ToList();
            winners.Add((await Task.WhenAll(attempts)).Count(won => won));
        }

        Assert.Equal(Enumerable.Repeat(1, Rounds), winners);
    }

    [Fact]
    public async Task Racing_increments_lose_no_update()
    {
        const int Workers = 6;
        const int IncrementsEach = 15;
        var grain = Grain("increments-" + Guid.NewGuid().ToString("N"));

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < IncrementsEach; i++)
                await Increment(_storages[worker % _storages.Length], grain, $"worker {worker}");
        })));

        Assert.Equal(Workers * IncrementsEach, (await Read(Reader, grain)).State!.Count);
    }

    private static async Task<GrainState<CounterState>> Read(FileGrainStorage storage, GrainId grain)
    {
        var state = new GrainState<CounterState>();
        await storage.ReadStateAsync(StateName, grain, state);
        return state;
    }
}

/// <summary>The contract on one storage instance.</summary>
public sealed class FileGrainStorageContractTests() : FileGrainStorageContract(instances: 1);

/// <summary>The contract on two storage instances sharing one directory (silos in one process, as the benchmark runs them).</summary>
public sealed class FileGrainStorageSharedDirectoryTests() : FileGrainStorageContract(instances: 2);
