using Azure.Data.Tables;
using CoS.Distributed.Grains.Interfaces.Scheduling;
using CoS.Distributed.Security.Tls;
using CoS.Distributed.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace CoS.Distributed.Integration.Tests;

/// <summary>
/// Real silo processes on Azurite with mutual TLS: two silos form a cluster over TLS, a client with the cluster CA's
/// certificate makes grain calls that cross silos, and clients without a certificate or with another CA's are
/// refused. No secret is on any command line: the connection string and the certificate password are files.
/// </summary>
public sealed class TlsClusterTests : IDisposable
{
    private readonly AzuriteServer azurite = StartAzurite();
    private readonly TestCertificates certificates = new();
    private readonly List<SiloProcess> silos = [];
    private readonly string clusterId = "tls-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose()
    {
        foreach (var silo in silos) silo.Dispose();
        azurite.Dispose();
        certificates.Dispose();
    }

    private static AzuriteServer StartAzurite()
    {
        var server = new AzuriteServer();
        server.Start();
        return server;
    }

    private string Logs() => string.Join("\n", silos.Select(s => s.Log));

    private SiloProcess StartSilo(string name, params string[] tls)
    {
        var silo = SiloProcess.Start(name, [
            "--Cos:Mode=Cluster", $"--Cos:SiloName={name}", $"--Cos:ClusterId={clusterId}",
            $"--Cos:StorageConnectionStringFile={certificates.WriteSecret("storage-" + name, azurite.ConnectionString)}",
            $"--Cos:SiloPort={SiloProcess.FreePort()}", $"--Cos:GatewayPort={SiloProcess.FreePort()}",
            "--Cos:Slots:CpuSlots=0", "--Cos:FastFailureDetection=true", .. tls]);
        silos.Add(silo);
        return silo;
    }

    [Fact]
    public async Task SilosFormAClusterOverTlsAndOnlyClientsWithTheClustersCertificateMayCallIt()
    {
        var ca = certificates.CreateAuthority("cos cluster ca");
        var caPem = certificates.WriteCertificatePem(ca, "ca");
        // One silo with a password-protected PFX (its password in a file), one with PEM files.
        var first = StartSilo("silo-1",
            $"--Cos:Tls:CertificatePath={certificates.WritePfx(certificates.Issue(ca, "silo-1"), "silo-1", "pfx-password")}",
            $"--Cos:Tls:PasswordFile={certificates.WriteSecret("silo-1-password", "pfx-password")}",
            $"--Cos:Tls:CaPath={caPem}");
        var (pem, key) = certificates.WritePem(certificates.Issue(ca, "silo-2"), "silo-2");
        var second = StartSilo("silo-2", $"--Cos:Tls:CertificatePath={pem}", $"--Cos:Tls:KeyPath={key}", $"--Cos:Tls:CaPath={caPem}");

        var (clientPem, clientKey) = certificates.WritePem(certificates.Issue(ca, "client"), "client");
        using var clientCredentials = Load(new TlsSettings { CertificatePath = clientPem, KeyPath = clientKey, CaPath = caPem });
        using var client = await Connect(clientCredentials, TimeSpan.FromSeconds(120));
        var grains = client.Services.GetRequiredService<IClusterClient>();

        // Both silos active, and a call from the management grain's silo to every silo: silo-to-silo messages over TLS.
        var management = grains.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        Dictionary<SiloAddress, SiloStatus> hosts;
        while ((hosts = await management.GetHosts(onlyActive: true)).Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the two silos did not form a cluster:\n{Logs()}");
            await Task.Delay(500);
        }
        var statistics = await management.GetRuntimeStatistics([.. hosts.Keys]);
        Assert.Equal(2, statistics.Length);
        Assert.NotNull(await grains.GetGrain<ISchedulerGrain>(0).GetStatus());
        Assert.False(first.HasExited || second.HasExited, Logs());

        // A client without a certificate, and one whose certificate another CA signed, are refused.
        await Assert.ThrowsAnyAsync<Exception>(() => Connect(null, TimeSpan.FromSeconds(15)));
        var stranger = certificates.CreateAuthority("someone else's ca");
        var (strangerPem, strangerKey) = certificates.WritePem(certificates.Issue(stranger, "stranger"), "stranger");
        using var strangerCredentials = Load(new TlsSettings { CertificatePath = strangerPem, KeyPath = strangerKey, CaPath = caPem });
        await Assert.ThrowsAnyAsync<Exception>(() => Connect(strangerCredentials, TimeSpan.FromSeconds(15)));
        Assert.Contains("The remote certificate was rejected", Logs(), StringComparison.Ordinal);

        // No secret on any command line (what `ps` shows) or in any log.
        foreach (var silo in silos)
        {
            var commandLine = File.ReadAllText($"/proc/{silo.ProcessId}/cmdline");
            Assert.DoesNotContain(AzuriteServer.AccountKey, commandLine, StringComparison.Ordinal);
            Assert.DoesNotContain("pfx-password", commandLine, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(AzuriteServer.AccountKey, Logs(), StringComparison.Ordinal);
    }

    [Fact]
    public void ASiloWithInvalidSettingsStopsAtStartListingEveryProblemWithoutItsSecrets()
    {
        const string Secret = "c2VjcmV0LWFjY291bnQta2V5LXRoYXQtbXVzdC1uZXZlci1iZS1zaG93bg==";
        var silo = SiloProcess.Start("invalid", "--Cos:Mode=Cluster", $"--Cos:StorageConnectionString=AccountKey={Secret};Colour=blue",
            "--Cos:Tls:CertificatePath=/nonexistent/silo.pfx", "--Cos:Tls:PasswordFile=/nonexistent/password");
        silos.Add(silo);

        Assert.True(silo.WaitForExit(TimeSpan.FromSeconds(60)), silo.Log);
        Assert.Contains("The silo's configuration is invalid:", silo.Log, StringComparison.Ordinal);
        Assert.Contains("the storage connection string is not usable", silo.Log, StringComparison.Ordinal);
        Assert.Contains("Cos:Tls:CertificatePath: the file '/nonexistent/silo.pfx' does not exist", silo.Log, StringComparison.Ordinal);
        Assert.Contains("Cos:Tls:PasswordFile: the file '/nonexistent/password' does not exist", silo.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, silo.Log, StringComparison.Ordinal);
    }

    private static TlsCredentials Load(TlsSettings settings)
    {
        var load = settings.Load(p => p);
        Assert.Empty(load.Problems);
        return load.Credentials!;
    }

    private async Task<IHost> Connect(TlsCredentials? credentials, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
            builder.Logging.SetMinimumLevel(LogLevel.Critical);
            builder.UseOrleansClient(client =>
            {
                client.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(azurite.ConnectionString));
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = "cos-distributed";
                });
                if (credentials is not null) client.UseMutualTls(credentials);
            });
            var host = builder.Build();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, (deadline - DateTime.UtcNow).Ticks)));
                await host.StartAsync(timeout.Token);
                return host;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                host.Dispose();
                await Task.Delay(500);
            }
            catch
            {
                host.Dispose();
                throw;
            }
        }
    }
}
