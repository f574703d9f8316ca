using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CoS.Distributed.Testing;

/// <summary>
/// A real Azurite (tests/Azurite, npm-pinned) on 127.0.0.1 with three free ports and its own data folder.
/// <see cref="Stop"/> takes it down and keeps the data; <see cref="Start"/> brings it back on the same ports and
/// folder, which is how tests take storage away for a while. Dispose kills it and deletes the folder.
/// </summary>
public sealed class AzuriteServer : IAsyncLifetime, IDisposable
{
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's documented development key; it opens nothing but a local emulator.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly object _gate = new();
    private readonly StringBuilder _output = new();
    private Process? _process;
    private bool _disposed;

    public AzuriteServer()
    {
        var ports = FreePorts(3);
        BlobPort = ports[0];
        QueuePort = ports[1];
        TablePort = ports[2];
        DataDirectory = Directory.CreateTempSubdirectory("cos-azurite-").FullName;
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    public string DataDirectory { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Node's process id while running: tests may kill it themselves.</summary>
    public int? ProcessId => IsRunning ? _process!.Id : null;

    public string ConnectionString => ConnectionStringWithKey(AccountKey);

    /// <summary>The connection string with another account key: Azurite refuses it with 403.</summary>
    public string ConnectionStringWithKey(string accountKey) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={accountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    public Task InitializeAsync()
    {
        Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Starts Azurite (again) on this server's ports and folder and waits until all three ports answer.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsRunning)
            return;
        var script = Path.Combine(RepositoryRoot(), "tests", "Azurite", "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
            throw new InvalidOperationException(
                $"Azurite is not installed ({script} is missing): run 'npm ci --prefix tests/Azurite --no-audit --no-fund' " +
                "from the repository root (build/setup.sh does it).");
        var start = new ProcessStartInfo(NodeExecutable())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            script,
            "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--location", DataDirectory,
            "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
        })
        {
            start.ArgumentList.Add(argument);
        }
        lock (_gate)
            _output.Clear();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        WaitUntilListening(process);
    }

    /// <summary>
    /// Stops Azurite the way an orderly outage does: SIGTERM to node by its process id, so it saves its metadata
    /// (it does so only every 5 s otherwise), then SIGKILL for it and any children if it has not exited within 10 s.
    /// The data folder stays.
    /// </summary>
    public void Stop()
    {
        var process = _process;
        if (process is null)
            return;
        if (!process.HasExited && !OperatingSystem.IsWindows() && Terminate(process.Id, SigTerm) == 0)
            process.WaitForExit(10_000);
        Kill();
    }

    /// <summary>Kills Azurite at once (SIGKILL): a crash. Writes it acknowledged in the last 5 s may be lost with it.</summary>
    public void Kill()
    {
        var process = _process;
        _process = null;
        if (process is null)
            return;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        finally
        {
            process.Dispose();
        }
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        Kill();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the tests' results matter more.
        }
    }

    /// <summary>The folder that holds CoS.Distributed.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CoS.Distributed.sln")))
                return folder.FullName;
        }
        throw new InvalidOperationException($"No CoS.Distributed.sln above {AppContext.BaseDirectory}: run the tests from inside the repository.");
    }

    private void WaitUntilListening(Process process)
    {
        var clock = Stopwatch.StartNew();
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (!Accepts(port))
            {
                if (process.HasExited)
                    throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before listening on port {port}:{Environment.NewLine}{Output()}");
                if (clock.Elapsed > StartTimeout)
                {
                    Stop();
                    throw new TimeoutException($"Azurite did not listen on port {port} within {StartTimeout.TotalSeconds:0} s:{Environment.NewLine}{Output()}");
                }
                Thread.Sleep(50);
            }
        }
    }

    private static bool Accepts(int port)
    {
        using var client = new TcpClient();
        try
        {
            return client.ConnectAsync(IPAddress.Loopback, port).Wait(TimeSpan.FromSeconds(1)) && client.Connected;
        }
        catch (AggregateException e) when (e.InnerException is SocketException)
        {
            return false;
        }
    }

    private static int[] FreePorts(int count)
    {
        // Held together while choosing, so the three differ; released just before Azurite binds them.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    private static string NodeExecutable()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, OperatingSystem.IsWindows() ? "node.exe" : "node");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException("Node.js is not on PATH, and Azurite runs on it: install it (Debian: apt-get install nodejs npm).");
    }

    private void Collect(string? line)
    {
        if (line is null)
            return;
        lock (_gate)
            _output.AppendLine(line);
    }

    private string Output()
    {
        lock (_gate)
            return _output.Length == 0 ? "(no output)" : _output.ToString();
    }

    private void KillOnExit(object? sender, EventArgs e) => Kill();

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    private static extern int Terminate(int pid, int signal);
}

[CollectionDefinition(Name)]
public sealed class SharedAzurite : ICollectionFixture<AzuriteServer>
{
    public const string Name = "Azurite";
}
