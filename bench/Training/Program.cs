using System.Diagnostics;
using System.Globalization;
using CoS.Distributed.Training.Activations;
using CoS.Distributed.Training.Models;
using CoS.Distributed.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

// One measurement per process, so that peak memory belongs to one configuration:
//   Training.Bench --model shufflenet_v2_x1_0 --activation cos --batch 128 --threads 2 --warmup 3 --steps 12
// prints one line: framework=torchsharp activation=… images_per_s=… peak_rss_mib=…
var settings = Arguments.Parse(args);
var malloc = MallocTuning.Apply();
torch.set_num_threads(settings.Threads);
torch.manual_seed(0);

var activation = ActivationRegistry.Resolve(settings.Activation);
using var model = ModelCatalog.Create(settings.Model, new ModelOptions { NumClasses = 10, InputChannels = 3, ImageSize = 32 }, activation.CreateModule);
using var optimizer = optim.SGD(model.parameters(), 0.1, 0.9, 0, 5e-4, false, false);
var generator = new Generator(0);
using var images = torch.randn([settings.Batch, 3, 32, 32], generator: generator);
using var labels = torch.randint(0, 10, [settings.Batch], generator: generator);
model.train();

void Step()
{
    using var scope = torch.NewDisposeScope();
    optimizer.zero_grad();
    var loss = nn.functional.cross_entropy(model.forward(images), labels);
    loss.backward();
    optimizer.step();
    loss.item<float>();
}

for (var i = 0; i < settings.Warmup; i++) Step();
var clock = Stopwatch.StartNew();
for (var i = 0; i < settings.Steps; i++) Step();
var seconds = clock.Elapsed.TotalSeconds;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"framework=torchsharp activation={settings.Activation.Replace(' ', '_')} images_per_s={settings.Batch * settings.Steps / seconds:F1} peak_rss_mib={PeakRssMib():F0} malloc=\"{malloc}\""));

static double PeakRssMib()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
    return double.NaN;
}

internal sealed record Arguments(string Model, string Activation, int Batch, int Threads, int Warmup, int Steps)
{
    public static Arguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>
        {
            ["--model"] = "shufflenet_v2_x1_0",
            ["--activation"] = "relu",
            ["--batch"] = "128",
            ["--threads"] = "2",
            ["--warmup"] = "3",
            ["--steps"] = "12",
        };
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!values.ContainsKey(args[i]) || i + 1 >= args.Length)
                throw new ArgumentException($"unknown or incomplete option '{args[i]}'; options: {string.Join(", ", values.Keys)}");
            values[args[i]] = args[i + 1];
        }
        int Int(string key) => int.Parse(values[key], CultureInfo.InvariantCulture);
        return new Arguments(values["--model"], values["--activation"], Int("--batch"), Int("--threads"), Int("--warmup"), Int("--steps"));
    }
}
