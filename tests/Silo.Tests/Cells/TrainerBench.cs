using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Silo.Cells;
using CoS.Distributed.Silo.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoS.Distributed.Silo.Tests.Cells;

/// <summary>
/// The slot's trainer with the real training core and real file checkpoint stores under one temp folder, and the
/// small cell every trainer test trains (3 epochs, a checkpoint every epoch, the last 3 kept).
/// </summary>
internal sealed class TrainerBench : IDisposable
{
    public static readonly CellAssignment Cell = new("trainer-test", "c0ffee0000000001", "g0ffee0000000001", new CellSpec
    {
        Dataset = new DatasetSpec { Name = "fashion-mnist", TrainPerClass = 40, TestPerClass = 20 },
        Model = "small_cnn",
        Activation = "cos",
        Seed = 5,
        Epochs = 3,
        BatchSize = 32,
        Optimizer = "sgd",
        LearningRate = 0.05,
        Momentum = 0.9,
        WeightDecay = 5e-4,
        Schedule = "cosine",
        Augment = true,
        StepEpochs = 30,
        StepGamma = 0.1,
    }, 3, 1, 3);

    public static readonly SlotAddress Slot = new("test-silo", 0, "cpu");

    private static readonly Lazy<IReadOnlyList<EpochReport>> straight = new(TrainStraight);

    private readonly DataCache data = new();

    public string Root { get; } = Directory.CreateTempSubdirectory("cos-trainer-").FullName;

    /// <summary>What the cell reports when one attempt trains it from start to end.</summary>
    public static IReadOnlyList<EpochReport> Straight => straight.Value;

    public FileCheckpointStore Store(string name) => new(Path.Combine(Root, name));

    public TorchCellTrainer Trainer(ICheckpointStore store) => Trainer(data, store);

    public static AttemptContext Attempt(AttemptStart start, Reports reports, CellAssignment? cell = null, SlotAddress? slot = null) =>
        new(cell ?? Cell, start, slot ?? Slot, reports.Report);

    /// <summary>A started attempt that resumes after <paramref name="completed"/> epochs from <paramref name="checkpoint"/>.</summary>
    public static AttemptStart Start(int attempt, int completed = 0, CheckpointPointer? checkpoint = null) =>
        new(true, attempt, completed, checkpoint, null);

    public void Dispose()
    {
        data.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    // The retention's own keep is the silo default; the trainer keeps what the cell's sweep asks for.
    private static TorchCellTrainer Trainer(DataCache data, ICheckpointStore store) =>
        new(data, new CheckpointRetention(store, 3), new CheckpointLoader(store), NullLogger<TorchCellTrainer>.Instance);

    private static IReadOnlyList<EpochReport> TrainStraight()
    {
        using var bench = new TrainerBench();
        var reports = new Reports();
        var result = bench.Trainer(bench.Store("straight")).Train(Attempt(Start(1), reports), CancellationToken.None);
        Assert.Equal(AttemptOutcome.Completed, result.Outcome);
        return reports.All;
    }
}

/// <summary>
/// The cell grain's side of one attempt: every report it received, the checkpoints it acknowledged, and how it
/// answers (accepting by default).
/// </summary>
internal sealed class Reports
{
    private readonly List<EpochReport> all = [];
    private readonly List<CheckpointPointer> acknowledged = [];

    /// <summary>The answer to each report; a refusal fences the attempt, as the grain does once a newer attempt started.</summary>
    public Func<EpochReport, ReportAck> Answer { get; init; } = _ => new ReportAck(true, null);

    public IReadOnlyList<EpochReport> All => all;

    public IEnumerable<int> Epochs => all.Select(r => r.Epoch);

    public IReadOnlyList<CheckpointPointer> Acknowledged => acknowledged;

    public static Reports AcceptingUntil(int epoch, Action stop) => new()
    {
        Answer = e =>
        {
            if (e.Epoch == epoch) stop();
            return new ReportAck(true, null);
        },
    };

    public ReportAck Report(EpochReport epoch, CheckpointPointer? checkpoint)
    {
        all.Add(epoch);
        var ack = Answer(epoch);
        if (ack.Accepted && checkpoint is not null) acknowledged.Add(checkpoint);
        return ack;
    }
}
