using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace CoS.Distributed.Integration.Tests;

/// <summary>A real silo process (src/Silo), started with its arguments and stopped or killed by PID.</summary>
public sealed partial class SiloProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    private SiloProcess(string name, string assembly, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments)
    {
        Name = name;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["GLIBC_TUNABLES"] = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=17179869184";
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__CoS"] = "Information";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }
    public int ProcessId => process.Id;
    public bool HasExited => process.HasExited;

    public string Log
    {
        get { lock (log) return log.ToString(); }
    }

    public static SiloProcess Start(string name, params string[] arguments) =>
        new(name, Built("src/Silo", "CoS.Distributed.Silo.dll"), new Dictionary<string, string>(), arguments);

    /// <summary>The real silo with a fault injected (tests/FaultySilo), chosen by environment variables.</summary>
    public static SiloProcess StartFaulty(string name, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        new(name, Built("tests/FaultySilo", "CoS.Distributed.FaultySilo.dll"), environment, arguments);

    /// <summary>The process's exit code once it has exited.</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>Waits for the process to exit and for all its output to be read (true), or gives up after the limit.</summary>
    public bool WaitForExit(TimeSpan limit)
    {
        if (!process.WaitForExit(limit)) return false;
        // Once it has exited, this overload also waits until the redirected output has been read to its end.
        process.WaitForExit();
        return true;
    }

    /// <summary>SIGKILL: the process gets no chance to hand anything back.</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: false);
        process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM: a graceful stop (running attempts are handed back).</summary>
    public bool Terminate(TimeSpan wait)
    {
        if (process.HasExited) return true;
        _ = kill(process.Id, 15);
        return process.WaitForExit(wait);
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (log) log.Append('[').Append(Name).Append("] ").AppendLine(line);
    }

    private static string Built(string project, string assembly)
    {
        var here = AppContext.BaseDirectory;
        var configuration = here.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var root = new DirectoryInfo(here);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CoS.Distributed.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException($"no CoS.Distributed.sln above {here}");
        var path = Path.Combine(root.FullName, project, "bin", configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"build the solution first ({path} is missing)", path);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
