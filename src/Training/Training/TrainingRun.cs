using System.Diagnostics;
using CoS.Distributed.Training.Activations;
using CoS.Distributed.Training.Checkpoints;
using CoS.Distributed.Training.Data;
using CoS.Distributed.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Training;

/// <summary>
/// One training run in memory: model, optimiser, schedule and data loaders, advanced an epoch at a time.
/// All randomness derives from the spec's seed and the epoch number, so an epoch's result depends only on the
/// state at its start — which is exactly what a checkpoint holds.
/// </summary>
public sealed class TrainingRun : IDisposable
{
    private const int EvaluationBatchSize = 1000;

    // Separates the dropout seeds from the loader's (seed, epoch) stream.
    private const long DropoutStream = 1L << 40;

    // Model initialisation draws from LibTorch's process-wide generator; runs sharing a process take turns. Nothing
    // after it does (dropout, batch order and augmentation have generators of their own), so checkpoints leave it alone.
    private static readonly Lock GlobalGeneratorGate = new();

    private readonly nn.Module<Tensor, Tensor> model;
    private readonly OptimizerHelper optimizer;
    private readonly LearningRateSchedule schedule;
    private readonly BatchLoader trainBatches;
    private readonly BatchLoader testBatches;
    private readonly Device device;
    private readonly List<EpochMetrics> history = [];
    private readonly Generator dropout;
    private readonly string fingerprintVersion1;
    private bool interrupted;

    private TrainingRun(RunSpec spec, DataSplit data, nn.Module<Tensor, Tensor> model, OptimizerHelper optimizer, Device device)
    {
        Spec = spec;
        Fingerprint = spec.Fingerprint();
        fingerprintVersion1 = spec.FingerprintVersion1();
        this.model = model;
        this.optimizer = optimizer;
        this.device = device;
        schedule = new LearningRateSchedule(spec.Training);
        trainBatches = new BatchLoader(data.Train, spec.Training.BatchSize, shuffle: true, augment: spec.Training.Augment);
        testBatches = new BatchLoader(data.Test, EvaluationBatchSize, shuffle: false, augment: false);
        TrainSamples = data.Train.Count;
        dropout = new Generator(0, device);
        if (model is ImageClassifier classifier) classifier.UseDropoutGenerator(dropout);
    }

    public RunSpec Spec { get; }
    public string Fingerprint { get; }
    public int TrainSamples { get; }
    public int CompletedEpochs => history.Count;
    public IReadOnlyList<EpochMetrics> History => history;
    public nn.Module<Tensor, Tensor> Model => model;

    /// <summary>Builds the run's network (initialised from the seed) and optimiser on the spec's device.</summary>
    public static TrainingRun Create(RunSpec spec, DataSplit data)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(data);
        var problems = spec.Training.Validate();
        if (problems.Count > 0) throw new ArgumentException("invalid training options: " + string.Join("; ", problems), nameof(spec));
        var device = ResolveDevice(spec.Training.Device);
        if (spec.Training.Threads is { } threads) torch.set_num_threads(threads);

        var activation = ActivationRegistry.Resolve(spec.Activation);
        var defaults = new ModelOptions();
        var options = defaults with
        {
            NumClasses = data.Train.ClassCount,
            InputChannels = data.Train.Channels,
            ImageSize = data.Train.Height,
            WidthMultiplier = spec.WidthMultiplier ?? defaults.WidthMultiplier,
            Depth = spec.Depth ?? defaults.Depth,
            Width = spec.Width ?? defaults.Width,
        };
        nn.Module<Tensor, Tensor> model;
        lock (GlobalGeneratorGate)
        {
            torch.manual_seed(spec.Seed);
            model = ModelCatalog.Create(spec.Model, options, activation.CreateModule);
        }
        model.to(device);
        var t = spec.Training;
        OptimizerHelper optimizer = t.Optimizer switch
        {
            OptimizerKind.Sgd => optim.SGD(model.parameters(), t.LearningRate, t.Momentum, 0, t.WeightDecay, t.Nesterov, false),
            OptimizerKind.Adam => optim.Adam(model.parameters(), t.LearningRate, 0.9, 0.999, 1e-8, t.WeightDecay, false, false),
            _ => throw new ArgumentException($"unknown optimizer {t.Optimizer}", nameof(spec)),
        };
        return new TrainingRun(spec, data, model, optimizer, device);
    }

    /// <summary>
    /// Trains one epoch and evaluates on the test split. A cancelled or diverged epoch leaves the run
    /// interrupted: it must be restored from a checkpoint before it can train again.
    /// </summary>
    public EpochResult RunEpoch(CancellationToken cancellation)
    {
        if (interrupted) throw new InvalidOperationException("this run was interrupted mid-epoch; restore it from a checkpoint first");
        if (CompletedEpochs >= Spec.Training.Epochs) throw new InvalidOperationException($"all {Spec.Training.Epochs} epochs are done");
        var epoch = CompletedEpochs;
        var rate = schedule.At(epoch);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;

        using var train = TrainingTelemetry.Source.StartActivity("train");
        model.train();
        double lossSum = 0;
        long correct = 0, seen = 0, step = 0;
        var clock = Stopwatch.StartNew();
        dropout.manual_seed((long)(SeedMixer.Mix(Spec.Seed, DropoutStream + epoch) >> 1));
        foreach (var (images, labels) in trainBatches.Batches(Spec.Seed, epoch))
        {
            using var scope = torch.NewDisposeScope();
            scope.Attach(images);
            scope.Attach(labels);
            if (cancellation.IsCancellationRequested)
            {
                interrupted = true;
                return EpochResult.Stopped(TrainingOutcome.Cancelled, $"cancelled during epoch {epoch + 1}");
            }
            var x = images.to(device);
            var y = labels.to(device);
            optimizer.zero_grad();
            var output = model.forward(x);
            var loss = nn.functional.cross_entropy(output, y, label_smoothing: Spec.Training.LabelSmoothing);
            var lossValue = loss.item<float>();
            step++;
            if (!float.IsFinite(lossValue))
            {
                interrupted = true;
                return EpochResult.Stopped(TrainingOutcome.Diverged,
                    $"training loss became {lossValue} at epoch {epoch + 1}, batch {step} (learning rate {rate:G4})");
            }
            loss.backward();
            optimizer.step();
            var n = y.shape[0];
            lossSum += lossValue * n;
            correct += output.argmax(1).eq(y).sum().item<long>();
            seen += n;
        }
        var trainSeconds = clock.Elapsed.TotalSeconds;
        train?.SetTag("cos.batches", step);
        train?.SetTag("cos.samples", seen);
        train?.Stop();
        double testLoss, testAccuracy;
        using (var evaluate = TrainingTelemetry.Source.StartActivity("evaluate"))
        {
            (testLoss, testAccuracy) = Evaluate();
            evaluate?.SetTag("cos.test_accuracy", testAccuracy);
        }
        if (!double.IsFinite(testLoss))
        {
            interrupted = true;
            return EpochResult.Stopped(TrainingOutcome.Diverged, $"test loss became {testLoss} after epoch {epoch + 1}");
        }
        var metrics = new EpochMetrics(epoch + 1, lossSum / seen, (double)correct / seen, testLoss, testAccuracy, rate,
            trainSeconds, seen / trainSeconds);
        history.Add(metrics);
        return EpochResult.Done(metrics);
    }

    /// <summary>Mean cross-entropy and top-1 accuracy on the test split.</summary>
    public (double Loss, double Accuracy) Evaluate()
    {
        model.eval();
        double lossSum = 0;
        long correct = 0, seen = 0;
        using var noGrad = torch.no_grad();
        foreach (var (images, labels) in testBatches.Batches(0, 0))
        {
            using var scope = torch.NewDisposeScope();
            scope.Attach(images);
            scope.Attach(labels);
            var y = labels.to(device);
            var output = model.forward(images.to(device));
            lossSum += nn.functional.cross_entropy(output, y, reduction: nn.Reduction.Sum).item<float>();
            correct += output.argmax(1).eq(y).sum().item<long>();
            seen += y.shape[0];
        }
        return (lossSum / seen, (double)correct / seen);
    }

    /// <summary>Writes the run's state after its last completed epoch.</summary>
    public void SaveCheckpoint(Stream destination)
    {
        if (interrupted) throw new InvalidOperationException("an interrupted run has no consistent state to checkpoint");
        CheckpointFormat.Write(destination, new Checkpoint(Fingerprint, CompletedEpochs, [.. history],
            Serialize(writer => model.save(writer)), Serialize(optimizer.save_state_dict)));
    }

    /// <summary>
    /// Restores a checkpoint written by a run with the same spec on any device and thread count (a version-1
    /// checkpoint: on this run's device and thread count); verifies hash and configuration.
    /// </summary>
    public void RestoreCheckpoint(Stream source) => RestoreCheckpoint(ReadCheckpoint(source));

    /// <summary>Reads and verifies a checkpoint for this run without applying it; <see cref="CheckpointException"/> when it is not one.</summary>
    public Checkpoint ReadCheckpoint(Stream source) => CheckpointFormat.Read(source, Fingerprint, fingerprintVersion1);

    /// <summary>Restores a checkpoint from <see cref="ReadCheckpoint"/>.</summary>
    public void RestoreCheckpoint(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.Fingerprint != Fingerprint && checkpoint.Fingerprint != fingerprintVersion1)
            throw new CheckpointException(CheckpointProblem.WrongConfiguration,
                $"checkpoint belongs to configuration {checkpoint.Fingerprint}, not to this run ({Fingerprint}); read it with ReadCheckpoint");
        using (var reader = new BinaryReader(new MemoryStream(checkpoint.ModelState)))
            model.load(reader, strict: true);
        using (var reader = new BinaryReader(new MemoryStream(checkpoint.OptimizerState)))
            optimizer.load_state_dict(reader);
        history.Clear();
        history.AddRange(checkpoint.Metrics);
        interrupted = false;
    }

    public void Dispose()
    {
        dropout.Dispose();
        optimizer.Dispose();
        model.Dispose();
    }

    private static byte[] Serialize(Action<BinaryWriter> save)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) save(writer);
        return buffer.ToArray();
    }

    private static Device ResolveDevice(string name)
    {
        if (!DeviceName.TryParse(name, out var parsed)) throw new ArgumentException($"device '{name}' is not 'cpu' or 'cuda:N'", nameof(name));
        if (!parsed.Cuda) return torch.CPU;
        if (!torch.cuda.is_available())
            throw new ArgumentException($"device '{name}' asked for, but CUDA is not available to this process (built with TorchSharp-cpu?); use 'cpu' or build with -p:TorchBackend=cuda", nameof(name));
        if (parsed.Index >= torch.cuda.device_count())
            throw new ArgumentException($"device '{name}' asked for, but only {torch.cuda.device_count()} CUDA device(s) exist", nameof(name));
        return torch.device(DeviceType.CUDA, parsed.Index);
    }
}
