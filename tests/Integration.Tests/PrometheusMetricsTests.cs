using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Testing;

namespace CoS.Distributed.Integration.Tests;

/// <summary>
/// The shipped scrape configuration, recording rules and dashboard, checked against a real Prometheus scraping real
/// silo processes (a 0-slot coordinator and two 1-slot workers on Azurite) while they run a sweep.
/// </summary>
public sealed partial class PrometheusMetricsTests : IDisposable
{
    private const int Cells = 4;
    private const int Epochs = 3;
    private const int Workers = 2;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(60);

    private readonly List<SiloProcess> silos = [];
    private readonly string clusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
    private AzuriteServer? azurite;
    private PrometheusServer? prometheus;

    [Fact]
    public void PromtoolAcceptsTheRecordingRulesAndTheRenderedScrapeConfig()
    {
        var rules = Directory.GetFiles(PrometheusServer.PrometheusFolder, "*.rules.yml");
        Assert.NotEmpty(rules);
        var (code, output) = PrometheusServer.RunPromtool(["check", "rules", .. rules]);
        Assert.True(code == 0, output);

        var folder = Directory.CreateTempSubdirectory("cos-promtool-").FullName;
        try
        {
            var config = PrometheusServer.Render(["127.0.0.1:9100", "127.0.0.1:9101"], TimeSpan.FromSeconds(1), folder);
            Assert.Contains("targets: [\"127.0.0.1:9100\", \"127.0.0.1:9101\"]", File.ReadAllText(config), StringComparison.Ordinal);
            (code, output) = PrometheusServer.RunPromtool("check", "config", config);
            Assert.True(code == 0, output);
            Assert.Contains($"{RuleNames().Count} rules found", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task PrometheusScrapingTheSilosSeesEveryEpochCellAndSlotOfASweep()
    {
        PrometheusServer.RequireInstalled();
        azurite = new AzuriteServer();
        azurite.Start();
        var ports = Enumerable.Range(0, Workers + 1).Select(_ => SiloProcess.FreePort()).ToList();
        prometheus = new PrometheusServer(ports.Select(p => $"127.0.0.1:{p}"));
        StartSilo("coordinator", 0, ports[0]);
        for (var i = 1; i <= Workers; i++) StartSilo($"worker-{i}", 1, ports[i]);

        await using var client = await ClusterClient.ConnectToCluster(azurite.ConnectionString, clusterId);
        var name = "prometheus";
        var spec = Sweeps.FashionMnist(name) with { Activations = ["relu"], BaselineActivation = null };
        var submitted = await client.Grains.GetGrain<ISweepGrain>(name).Submit(spec);
        Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));
        var status = await client.WaitUntilFinished(name, TimeSpan.FromMinutes(8), Logs);
        Assert.Equal(Cells, status.Cells.Count);
        Assert.All(status.Cells, c => Assert.Equal(CellStatus.Completed, c.Status));

        var sweep = $"{{cos_sweep=\"{name}\"}}";
        // Raw series, summed over the three silos' scrapes.
        await Eventually($"sum(cos_epochs_completed_total{sweep})", v => v == Cells * Epochs);
        await Eventually($"sum(cos_cells{{cos_sweep=\"{name}\",cos_cell_state=\"completed\"}})", v => v == Cells);
        await Eventually("sum(cos_slots_total)", v => v == Workers);
        await Eventually("count(cos_queue_depth)", v => v == 1);
        Assert.Equal(Workers + 1, (await prometheus.Query("count(up == 1)")).Single().Value);

        // The recording rules, evaluated by Prometheus every second.
        await Eventually($"cos_sweep:epochs_completed:sum{sweep}", v => v == Cells * Epochs);
        await Eventually($"cos_sweep_cell_state:cells:sum{{cos_sweep=\"{name}\",cos_cell_state=\"completed\"}}", v => v == Cells);
        await Eventually("cos:slots_total:sum", v => v == Workers);
        await Eventually("max(cos_silo:slots_total:sum)", v => v == 1);
        await Eventually("count(cos_silo:slot_utilisation:ratio)", v => v == Workers);
        await Eventually("cos:slot_utilisation:ratio", v => v is >= 0 and <= 1);
        await Eventually("cos:queue_depth:sum", v => v == 0);
        // Rates look back over their window: their recorded series must have been above 0 while the sweep ran.
        await Eventually($"max_over_time(cos_sweep:training_samples:rate1m{sweep}[10m])", v => v > 0);
        await Eventually($"max_over_time(cos_sweep:epoch_duration_seconds:p95_5m{sweep}[10m])", v => v > 0);
        await Eventually("max_over_time(cos:slot_utilisation:ratio[10m])", v => v > 0);

        await EveryDashboardPanelQueriesARecordingRuleThatHasData(name);
    }

    /// <summary>Grafana cannot run here: every panel's expression must be a recorded series, and Prometheus must answer it.</summary>
    private async Task EveryDashboardPanelQueriesARecordingRuleThatHasData(string sweep)
    {
        var rules = RuleNames();
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(AzuriteServer.RepositoryRoot(), "deploy", "grafana", "cos-sweeps.json")));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
        Assert.NotEmpty(panels);
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            Assert.Equal("${DS_PROMETHEUS}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.NotEmpty(targets);
            foreach (var target in targets)
            {
                var expression = target.GetProperty("expr").GetString()!;
                var metric = MetricName().Match(expression).Value;
                Assert.True(rules.Contains(metric), $"panel '{title}' plots '{expression}', which is not a recording rule of deploy/prometheus");
                // Rates fall back to 0 once the sweep is over, so the panel's series is checked over the run.
                var query = $"max_over_time(({expression.Replace("$sweep", Regex.Escape(sweep), StringComparison.Ordinal)})[10m:1s])";
                var result = await prometheus!.Query(query);
                Assert.True(result.Count > 0, $"panel '{title}': '{query}' returned no series");
            }
        }
        var variable = dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "sweep");
        var definition = variable.GetProperty("definition").GetString()!;
        var source = LabelValues().Match(definition);
        Assert.True(source.Success && rules.Contains(source.Groups[1].Value), $"the sweep variable reads '{definition}', not a recording rule");
        Assert.Contains(await prometheus!.Query($"group by (cos_sweep) ({source.Groups[1].Value})"), s => s.Labels["cos_sweep"] == sweep);
    }

    private static HashSet<string> RuleNames() =>
        Directory.GetFiles(PrometheusServer.PrometheusFolder, "*.rules.yml")
            .SelectMany(f => RecordLine().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Polls an instant query until it returns one series whose value passes, or fails with what it saw.</summary>
    private async Task Eventually(string promql, Func<double, bool> expected)
    {
        var deadline = DateTime.UtcNow + Poll;
        var seen = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            var result = await prometheus!.Query(promql);
            seen = result.Count == 0 ? "no series" : string.Join(", ", result.Select(r => r.Value.ToString(CultureInfo.InvariantCulture)));
            if (result.Count == 1 && expected(result[0].Value)) return;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        Assert.Fail($"'{promql}' gave {seen} for {Poll.TotalSeconds:0} s\ntargets: {await prometheus!.Api("/api/v1/targets")}\n{prometheus.Output()}");
    }

    private void StartSilo(string name, int slots, int prometheusPort) =>
        silos.Add(SiloProcess.Start(name,
            "--Cos:Mode=Cluster", $"--Cos:SiloName={name}", $"--Cos:ClusterId={clusterId}", $"--Cos:StorageConnectionString={azurite!.ConnectionString}",
            $"--Cos:SiloPort={SiloProcess.FreePort()}", $"--Cos:GatewayPort={SiloProcess.FreePort()}",
            $"--Cos:Slots:CpuSlots={slots}", "--Cos:Slots:ThreadsPerSlot=1",
            $"--Cos:Telemetry:PrometheusPort={prometheusPort}", "--Cos:Telemetry:PrometheusHost=127.0.0.1"));

    private string Logs() => string.Join("\n", silos.Select(s => s.Log));

    [GeneratedRegex(@"(?m)^\s*- record: (\S+)\s*$")]
    private static partial Regex RecordLine();

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,\s*cos_sweep\)$")]
    private static partial Regex LabelValues();

    public void Dispose()
    {
        foreach (var silo in silos) silo.Dispose();
        prometheus?.Dispose();
        azurite?.Dispose();
    }
}
