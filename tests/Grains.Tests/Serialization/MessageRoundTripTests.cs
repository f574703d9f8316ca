using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Groups;
using CoS.Distributed.Grains.Interfaces.Scheduling;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace CoS.Distributed.Grains.Tests.Serialization;

/// <summary>
/// Every message of the protocol goes through the real Orleans serializer and comes back equal. A type marked
/// [GenerateSerializer] without a sample here fails the test, so a new message cannot be left out.
/// </summary>
public sealed class MessageRoundTripTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly ServiceProvider services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    public void Dispose() => services.Dispose();

    private static readonly EpochReport Epoch = new(3, 0.52, 0.81, 0.61, 0.79, 0.05, 12.5, 4096.5);
    private static readonly CheckpointPointer Checkpoint = new(3, "cos-vs-relu/0123456789abcdef/epoch-0003.ckpt");
    private static readonly SlotAddress Slot = new("silo-a:11111", 1, "cuda:1");

    private static readonly DatasetSpec Dataset = new() { Name = "cifar10", Path = "/data/cifar", TrainPerClass = 100, TestPerClass = 20, SubsetSeed = 5 };

    private static readonly HyperParameterAxes Axes = new()
    {
        Epochs = [5, 10],
        BatchSizes = [64],
        Optimizers = ["adam"],
        LearningRates = [0.001, 0.01],
        Momenta = [0.8],
        Nesterov = [true],
        WeightDecays = [1e-4],
        Schedules = ["step"],
        WarmupEpochs = [1],
        LabelSmoothing = [0.1],
        Augment = [true],
        WidthMultipliers = [0.5, 0.75],
        Depths = [2, 4],
        Widths = [32],
        StepEpochs = 7,
        StepGamma = 0.5,
    };

    private static readonly CellSpec Cell = new()
    {
        Dataset = Dataset,
        Model = "mobilenet_v2",
        Activation = "x*sigmoid(x) + (sigmoid(5*x) - 0.5)^2",
        Seed = 42,
        WidthMultiplier = 0.5,
        Depth = 2,
        Width = 64,
        Epochs = 10,
        BatchSize = 64,
        Optimizer = "sgd",
        LearningRate = 0.05,
        Momentum = 0.9,
        Nesterov = true,
        WeightDecay = 5e-4,
        Schedule = "cosine",
        WarmupEpochs = 2,
        LabelSmoothing = 0.1,
        Augment = true,
        StepEpochs = 30,
        StepGamma = 0.1,
    };

    private static readonly SweepSpec Sweep = new()
    {
        Name = "cos-vs-relu",
        Datasets = [Dataset],
        Models = ["mobilenet_v2"],
        Activations = ["relu", "cos"],
        Seeds = [1, 2],
        Training = Axes,
        BaselineActivation = "relu",
        CheckpointEveryEpochs = 2,
        MaxAttempts = 4,
        KeepCheckpoints = 3,
    };

    private static readonly CellAssignment Assignment = new("cos-vs-relu", "0123456789abcdef", "fedcba9876543210", Cell, 4, 2, 3, 5, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    private static readonly CellSummary Row = new("0123456789abcdef", "fedcba9876543210", CellStatus.Running, 2, 3, 10, Slot, "previous attempt: silo lost", Epoch, 17);
    private static readonly CellResult Result = new("0123456789abcdef", 42, AttemptEnd.Diverged, [Epoch, Epoch with { Epoch = 4, TestLoss = double.NaN }], "loss is NaN at epoch 4");
    private static readonly Summary Statistic = new(3, 0.8, 0.0004, 0.02, 0.75, 0.85, 0.78, 0.82);
    private static readonly RunningCell Running = new(Assignment, Slot);

    /// <summary>One fully populated value of every message type.</summary>
    private static readonly Dictionary<Type, object> Samples = new()
    {
        [typeof(SweepSpec)] = Sweep,
        [typeof(DatasetSpec)] = Dataset,
        [typeof(HyperParameterAxes)] = Axes,
        [typeof(CellSpec)] = Cell,
        [typeof(SweepCell)] = new SweepCell("0123456789abcdef", "fedcba9876543210", Cell),
        [typeof(EpochReport)] = Epoch,
        [typeof(CheckpointPointer)] = Checkpoint,
        [typeof(SlotAddress)] = Slot,
        [typeof(CellSnapshot)] = new CellSnapshot
        {
            CellId = "0123456789abcdef",
            SweepName = "cos-vs-relu",
            Spec = Cell,
            Status = CellStatus.Completed,
            Attempt = 2,
            CompletedEpochs = 3,
            Epochs = [Epoch],
            Checkpoint = Checkpoint,
            Error = "attempt 1: silo lost",
            Slot = Slot,
            Version = 9,
        },
        [typeof(CellAssignment)] = Assignment,
        [typeof(AttemptStart)] = new AttemptStart(true, 2, 3, Checkpoint, "resumed from epoch 3", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
        [typeof(ReportAck)] = new ReportAck(true, "fenced", CancelRequested: true, Requeue: true),
        [typeof(SubmitResult)] = new SubmitResult(true, true, 12, ["seeds: [1, 2] → [1, 3]"]),
        [typeof(CellSummary)] = Row,
        [typeof(SweepStatus)] = new SweepStatus
        {
            Name = "cos-vs-relu",
            Exists = true,
            Cancelled = true,
            Spec = Sweep,
            Cells = [Row],
            SubmittedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1)),
            FinishedAt = new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero),
        },
        [typeof(UnfinishedWork)] = new UnfinishedWork([Assignment], [Running]),
        [typeof(RunningCell)] = Running,
        [typeof(CellResult)] = Result,
        [typeof(Summary)] = Statistic,
        [typeof(CurvePoint)] = new CurvePoint(2, 3, 0.7, 0.02, 0.9, 0.05),
        [typeof(GroupStatistics)] = new GroupStatistics
        {
            GroupId = "fedcba9876543210",
            Spec = Cell with { Seed = 0 },
            Completed = 3,
            Diverged = 1,
            Failed = 1,
            FinalTestAccuracy = Statistic,
            FinalTestLoss = Statistic with { Mean = 0.6 },
            EpochSeconds = Statistic with { Mean = 12 },
            Curves = [new CurvePoint(1, 3, 0.5, 0.01, 1.2, 0.03)],
            Cells = [Result],
        },
        [typeof(SchedulerStatus)] = new SchedulerStatus(4, 2, ["cos-vs-relu"], 99, 3),
        [typeof(CellLease)] = new CellLease(Guid.Parse("6f1c0c53-5d7e-4c1a-9d3e-0b8a4f2d9e71"), Assignment, new SlotAddress("silo-b", 1, "cuda:1"), TimeSpan.FromSeconds(30)),
        [typeof(HeldLease)] = new HeldLease(Guid.Parse("6f1c0c53-5d7e-4c1a-9d3e-0b8a4f2d9e71"), "cos-vs-relu", "0123456789abcdef", new SlotAddress("silo-b", 1, "cuda:1")),
    };

    private static IEnumerable<Type> MessageTypes() =>
        typeof(SweepSpec).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<GenerateSerializerAttribute>() is not null && t.Namespace?.StartsWith("CoS.", StringComparison.Ordinal) == true)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    public static TheoryData<string> MessageTypeNames => [.. MessageTypes().Select(t => t.Name)];

    [Fact]
    public void EveryMessageTypeHasASample()
    {
        var types = MessageTypes().ToList();
        Assert.NotEmpty(types);
        Assert.Empty(types.Where(t => !Samples.ContainsKey(t)).Select(t => t.FullName));
        Assert.Empty(Samples.Keys.Where(t => !types.Contains(t)).Select(t => t.FullName));
    }

    [Theory]
    [MemberData(nameof(MessageTypeNames))]
    public void MessageComesBackEqualThroughTheOrleansSerializer(string typeName)
    {
        var type = MessageTypes().Single(t => t.Name == typeName);
        var sample = Samples[type];
        AssertEveryMemberIsSet(type, sample);

        var serializer = services.GetRequiredService<Serializer>();
        var bytes = serializer.SerializeToArray<object>(sample);
        var copy = serializer.Deserialize<object>(bytes);

        Assert.IsType(type, copy);
        Assert.NotSame(sample, copy);
        Assert.Equal(JsonSerializer.Serialize(sample, type, Json), JsonSerializer.Serialize(copy, type, Json));
    }

    [Theory]
    [MemberData(nameof(MessageTypeNames))]
    public void MessageIsCopiedEqualByTheOrleansCopier(string typeName)
    {
        var type = MessageTypes().Single(t => t.Name == typeName);
        var sample = Samples[type];
        var copy = services.GetRequiredService<DeepCopier>().Copy(sample);
        Assert.Equal(JsonSerializer.Serialize(sample, type, Json), JsonSerializer.Serialize(copy, type, Json));
    }

    [Fact]
    public void EveryTypeAGrainMethodSendsOrReturnsIsAMessageWithASample()
    {
        var assembly = typeof(SweepSpec).Assembly;
        var grains = assembly.GetTypes().Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t)).ToList();
        Assert.Equal(["ICellGrain", "IGroupGrain", "ISchedulerGrain", "ISweepGrain"], grains.Select(g => g.Name).Order());

        var found = new HashSet<Type>();
        void Visit(Type type)
        {
            foreach (var argument in type.GetGenericArguments()) Visit(argument);
            if (type.Assembly != assembly || !found.Add(type)) return;
            if (type.IsEnum) return;
            Assert.True(type.GetCustomAttribute<GenerateSerializerAttribute>() is not null, $"{type.Name} crosses a grain boundary without [GenerateSerializer]");
            foreach (var member in type.GetProperties().Where(p => p.GetCustomAttribute<IdAttribute>() is not null)) Visit(member.PropertyType);
        }
        foreach (var method in grains.SelectMany(g => g.GetMethods()))
        {
            Visit(method.ReturnType);
            foreach (var parameter in method.GetParameters()) Visit(parameter.ParameterType);
        }

        Assert.Empty(found.Where(t => !t.IsEnum && !Samples.ContainsKey(t)).Select(t => t.Name));
        Assert.Equal([typeof(AttemptEnd), typeof(CellStatus)], found.Where(t => t.IsEnum).OrderBy(t => t.Name));
    }

    [Fact]
    public void EveryValueOfTheEnumsComesBack()
    {
        var serializer = services.GetRequiredService<Serializer>();
        foreach (var status in Enum.GetValues<CellStatus>())
            Assert.Equal(status, serializer.Deserialize<CellStatus>(serializer.SerializeToArray(status)));
        foreach (var end in Enum.GetValues<AttemptEnd>())
            Assert.Equal(end, serializer.Deserialize<AttemptEnd>(serializer.SerializeToArray(end)));
        // Inside a message, where the field's declared type is the enum.
        var row = (CellSummary)Samples[typeof(CellSummary)];
        foreach (var status in Enum.GetValues<CellStatus>())
            Assert.Equal(status, serializer.Deserialize<CellSummary>(serializer.SerializeToArray(row with { Status = status }))!.Status);
    }

    // A member left at its default would round-trip even if the serializer dropped it; samples must set every one.
    private static void AssertEveryMemberIsSet(Type type, object sample)
    {
        var members = type.GetProperties().Where(p => p.GetCustomAttribute<IdAttribute>() is not null).ToList();
        Assert.NotEmpty(members);
        foreach (var member in members)
        {
            var value = member.GetValue(sample);
            var isDefault = value switch
            {
                null => true,
                string s => s.Length == 0,
                IEnumerable e => !e.GetEnumerator().MoveNext(),
                Enum e => Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture) == 0,
                ValueType other => other.Equals(Activator.CreateInstance(other.GetType())),
                _ => false,
            };
            Assert.False(isDefault, $"{type.Name}.{member.Name} is left at its default in the sample; give it a value");
        }
    }
}
