using System.Globalization;

namespace CoS.Distributed.Orchestration.Bench.Runs;

/// <summary>The benchmark's command line: --name value pairs, every one optional.</summary>
internal sealed record BenchSettings(
    int Silos,
    int SlotsPerSilo,
    int Cells,
    int HoldMs,
    int Epochs,
    int Runs,
    int ZeroRuns,
    int WarmupCells,
    int MinWorkerThreads,
    bool Profile,
    bool Tracing)
{
    public int Slots => Silos * SlotsPerSilo;

    public static BenchSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>
        {
            ["--silos"] = "3",
            ["--slots"] = "4",
            ["--cells"] = "2000",
            ["--hold-ms"] = "100",
            ["--epochs"] = "1",
            ["--runs"] = "3",
            ["--zero-runs"] = "2",
            ["--warmup-cells"] = "240",
            ["--min-worker-threads"] = "0",
            ["--profile"] = "false",
            ["--tracing"] = "false",
        };
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!values.ContainsKey(args[i]) || i + 1 >= args.Length)
                throw new ArgumentException($"unknown or incomplete option '{args[i]}'; options (each followed by a value): {string.Join(", ", values.Keys)}");
            values[args[i]] = args[i + 1];
        }
        int Int(string key, int min)
        {
            if (!int.TryParse(values[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min)
                throw new ArgumentException($"{key} is '{values[key]}': give a whole number of at least {min}");
            return n;
        }
        var settings = new BenchSettings(Int("--silos", 1), Int("--slots", 1), Int("--cells", 2), Int("--hold-ms", 0), Int("--epochs", 1),
            Int("--runs", 0), Int("--zero-runs", 0), Int("--warmup-cells", 2), Int("--min-worker-threads", 0), bool.Parse(values["--profile"]),
            bool.Parse(values["--tracing"]));
        if (settings.Cells % 2 != 0 || settings.WarmupCells % 2 != 0)
            throw new ArgumentException($"--cells {settings.Cells} and --warmup-cells {settings.WarmupCells} must be even: each sweep has two activations");
        return settings;
    }
}
