using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CoS.Distributed.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoS.Distributed.Silo.Tests.Storage;

/// <summary>
/// One process per embedded data directory: the standalone silo (a real process, src/Silo) refuses a directory
/// another process holds and holds its own, while several silos in one process share one.
/// </summary>
public sealed class DataDirectoryLockTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("cos-data-lock-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private string LockFile => Path.Combine(_data, "lock");

    [Fact]
    public async Task A_standalone_embedded_silo_refuses_a_data_directory_another_process_holds()
    {
        // Held the way every version of `cos` holds it: the lock file open with FileShare.None, its pid inside.
        using var held = new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        held.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        held.Flush();

        using var silo = EmbeddedSiloProcess.Start(_data);
        var exited = silo.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.True(exited, $"the silo started on a data directory another process holds; its output:\n{silo.Output}");
        Assert.Equal(1, silo.Process.ExitCode);
        var refusal = silo.Output.Split('\n').LastOrDefault(l => l.Contains("data directory", StringComparison.Ordinal)) ?? silo.Output;
        Assert.Contains(_data, refusal, StringComparison.Ordinal);
        Assert.Contains($"pid {Environment.ProcessId}", refusal, StringComparison.Ordinal);
        Assert.Contains("--Cos:DataDirectory", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_standalone_embedded_silo_holds_its_data_directory_against_other_processes()
    {
        using var silo = EmbeddedSiloProcess.Start(_data);
        await silo.WaitUntilServing(TimeSpan.FromSeconds(60));

        var error = Record.Exception(() => new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None).Dispose());

        Assert.True(error is IOException, $"another process could take the data directory of a running silo; silo output:\n{silo.Output}");
    }

    [Fact]
    public async Task Two_silos_in_one_process_share_a_data_directory_and_hold_it_until_both_stop()
    {
        using var first = await StartInProcess(_data);
        using var second = await StartInProcess(_data);
        var heldByBoth = IsHeld();
        await first.StopAsync();
        var heldBySecond = IsHeld();
        await second.StopAsync();

        Assert.True(heldByBoth, "two running silos did not hold their data directory");
        Assert.True(heldBySecond, "stopping one silo let go of the directory the other still uses");
        Assert.False(IsHeld(), "the data directory stayed locked after both silos stopped");
    }

    private bool IsHeld()
    {
        try
        {
            new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None).Dispose();
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static async Task<IHost> StartInProcess(string data)
    {
        var options = new CosSiloOptions
        {
            Mode = HostingMode.Embedded,
            DataDirectory = data,
            SiloPort = EmbeddedSiloProcess.FreePort(),
            GatewayPort = EmbeddedSiloProcess.FreePort(),
            Slots = { CpuSlots = 0 },
        };
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo.AddCos(options));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}

/// <summary>The real silo host (src/Silo, copied next to the tests) in embedded mode on one data directory, with no slots.</summary>
internal sealed class EmbeddedSiloProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly int _gatewayPort = FreePort();

    private EmbeddedSiloProcess(string dataDirectory)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "CoS.Distributed.Silo.dll"), "--Cos:Mode=Embedded", $"--Cos:DataDirectory={dataDirectory}",
            $"--Cos:SiloPort={FreePort()}", $"--Cos:GatewayPort={_gatewayPort}", "--Cos:Slots:CpuSlots=0",
        })
            start.ArgumentList.Add(argument);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        Process = new Process { StartInfo = start };
        Process.OutputDataReceived += (_, e) => Append(e.Data);
        Process.ErrorDataReceived += (_, e) => Append(e.Data);
        Process.Start();
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static EmbeddedSiloProcess Start(string dataDirectory) => new(dataDirectory);

    /// <summary>True when the silo exited within <paramref name="timeout"/>, its output all read.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!Process.WaitForExit(timeout))
            return false;
        Process.WaitForExit();
        return true;
    }

    /// <summary>Until the silo's gateway accepts connections: it has started.</summary>
    public async Task WaitUntilServing(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Process.HasExited)
                throw new InvalidOperationException($"the silo exited with {Process.ExitCode}:\n{Output}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, _gatewayPort);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    public void Dispose()
    {
        if (!Process.HasExited)
            Process.Kill();
        Process.WaitForExit(10_000);
        Process.Dispose();
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
        lock (_output) _output.AppendLine(line);
    }
}
