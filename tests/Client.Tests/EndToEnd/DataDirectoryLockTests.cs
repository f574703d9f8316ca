using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CoS.Distributed.Client.Tests.EndToEnd;

/// <summary>`cos` and a standalone embedded silo (a real process, src/Silo) cannot use one data directory at once.</summary>
public sealed class DataDirectoryLockTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("cos-cli-lock-").FullName;

    public void Dispose() => Directory.Delete(data, recursive: true);

    [Fact]
    public async Task CosRefusesTheDataDirectoryOfARunningSiloNamingItsPid()
    {
        var output = new StringBuilder();
        var gateway = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "CoS.Distributed.Silo.dll"), "--Cos:Mode=Embedded", $"--Cos:DataDirectory={data}",
            $"--Cos:SiloPort={FreePort()}", $"--Cos:GatewayPort={gateway}", "--Cos:Slots:CpuSlots=0",
        })
            start.ArgumentList.Add(argument);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var silo = new Process { StartInfo = start };
        silo.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        silo.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        silo.Start();
        silo.BeginOutputReadLine();
        silo.BeginErrorReadLine();
        try
        {
            await WaitForGateway(silo, gateway, TimeSpan.FromSeconds(60));

            var result = await CosRunner.Run("status", "anything", "--data-dir", data);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains(data, result.Error, StringComparison.Ordinal);
            Assert.True(result.Error.Contains($"pid {silo.Id.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal), result.ToString());
            Assert.Contains("--data-dir", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            silo.Kill();
            await silo.WaitForExitAsync();
        }
    }

    private static async Task WaitForGateway(Process silo, int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Assert.False(silo.HasExited, "the silo exited before it served");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
