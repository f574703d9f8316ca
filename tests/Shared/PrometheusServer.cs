using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CoS.Distributed.Testing;

/// <summary>
/// A real Prometheus (/usr/bin/prometheus, Debian's package) on a free loopback port, running the shipped
/// deploy/prometheus/prometheus.yml rendered with the given targets and a 1 s scrape and rule interval, with its
/// recording rules and its database in a temp folder. Dispose kills it and deletes the folder.
/// </summary>
public sealed partial class PrometheusServer : IDisposable
{
    public const string Binary = "/usr/bin/prometheus";
    public const string Promtool = "/usr/bin/promtool";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder output = new();
    private readonly Process process;
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public PrometheusServer(IEnumerable<string> targets, TimeSpan? interval = null)
    {
        RequireInstalled();
        Folder = Directory.CreateTempSubdirectory("cos-prometheus-").FullName;
        ConfigPath = Render(targets, interval ?? TimeSpan.FromSeconds(1), Folder);
        Port = FreePort();
        Url = new Uri($"http://127.0.0.1:{Port}");
        var start = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            $"--config.file={ConfigPath}", $"--storage.tsdb.path={Path.Combine(Folder, "data")}",
            $"--web.listen-address=127.0.0.1:{Port}", "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
        WaitUntilReady();
    }

    public int Port { get; }

    public Uri Url { get; }

    public string Folder { get; }

    /// <summary>The rendered configuration; its rule file sits next to it.</summary>
    public string ConfigPath { get; }

    public static string PrometheusFolder => Path.Combine(AzuriteServer.RepositoryRoot(), "deploy", "prometheus");

    /// <summary>Fails (never skips) when Prometheus is not installed: CI installs it with build/setup.sh.</summary>
    public static void RequireInstalled()
    {
        foreach (var binary in new[] { Binary, Promtool })
        {
            if (!File.Exists(binary))
                throw new InvalidOperationException($"{binary} is missing: run build/setup.sh (it installs Debian's 'prometheus' package, which has prometheus and promtool).");
        }
    }

    /// <summary>
    /// Writes deploy/prometheus/prometheus.yml into <paramref name="folder"/> with these targets and intervals, and
    /// copies the rule files next to it (the config names them relative to itself). Returns the config's path.
    /// </summary>
    public static string Render(IEnumerable<string> targets, TimeSpan interval, string folder)
    {
        var text = File.ReadAllText(Path.Combine(PrometheusFolder, "prometheus.yml"));
        var list = string.Join(", ", targets.Select(t => $"\"{t}\""));
        var seconds = $"{(int)interval.TotalSeconds}s";
        text = TargetsLine().Replace(text, $"${{1}}[{list}]", 1);
        text = IntervalLine().Replace(text, $"${{1}}{seconds}");
        foreach (var rules in Directory.GetFiles(PrometheusFolder, "*.rules.yml"))
            File.Copy(rules, Path.Combine(folder, Path.GetFileName(rules)), overwrite: true);
        var path = Path.Combine(folder, "prometheus.yml");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>An instant query (/api/v1/query): each series' labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> Query(string promql)
    {
        var json = await http.GetStringAsync(new Uri(Url, "/api/v1/query?query=" + Uri.EscapeDataString(promql)));
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.GetProperty("status").GetString() != "success")
            throw new InvalidOperationException($"Prometheus refused '{promql}': {json}");
        var data = root.GetProperty("data");
        if (data.GetProperty("resultType").GetString() != "vector")
            throw new InvalidOperationException($"'{promql}' is not an instant vector: {json}");
        return data.GetProperty("result").EnumerateArray().Select(series => (
            (IReadOnlyDictionary<string, string>)series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
            double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>The JSON of an API endpoint such as /api/v1/rules or /api/v1/targets.</summary>
    public Task<string> Api(string path) => http.GetStringAsync(new Uri(Url, path));

    /// <summary>Runs promtool with these arguments; returns its exit code and output.</summary>
    public static (int ExitCode, string Output) RunPromtool(params string[] arguments)
    {
        RequireInstalled();
        var start = new ProcessStartInfo(Promtool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var tool = Process.Start(start)!;
        var stdout = tool.StandardOutput.ReadToEndAsync();
        var stderr = tool.StandardError.ReadToEndAsync();
        if (!tool.WaitForExit(60_000))
        {
            tool.Kill();
            return (-1, "promtool did not finish within 60 s");
        }
        return (tool.ExitCode, stdout.Result + stderr.Result);
    }

    public string Output()
    {
        lock (output) return output.Length == 0 ? "(no output)" : output.ToString();
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        KillOnExit(null, EventArgs.Empty);
        process.Dispose();
        http.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private void WaitUntilReady()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"Prometheus exited with code {process.ExitCode} before it was ready:{Environment.NewLine}{Output()}");
            try
            {
                using var response = http.GetAsync(new Uri(Url, "/-/ready")).GetAwaiter().GetResult();
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (clock.Elapsed > StartTimeout)
                throw new TimeoutException($"Prometheus was not ready within {StartTimeout.TotalSeconds:0} s:{Environment.NewLine}{Output()}");
            Thread.Sleep(100);
        }
    }

    private void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    private void Collect(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"(?m)^(\s*- targets: )\[.*\]$")]
    private static partial Regex TargetsLine();

    [GeneratedRegex(@"(?m)^(\s*(?:scrape|evaluation)_interval: )\S+$")]
    private static partial Regex IntervalLine();
}
