using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using CoS.Distributed.Grains.Interfaces.Scheduling;
using CoS.Distributed.Security.Tls;
using CoS.Distributed.Silo.Hosting;
using CoS.Distributed.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoS.Distributed.Silo.Tests.Security;

/// <summary>
/// An in-process silo with mutual TLS on localhost clustering: a client with a certificate from the cluster's CA makes
/// grain calls; a client without a certificate, or with one from another CA, is refused.
/// </summary>
public sealed class MutualTlsTests : IAsyncLifetime, IDisposable
{
    private readonly TestCertificates certificates = new();
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("cos-tls-silo-").FullName;
    private readonly int gatewayPort = FreePort();
    private IHost? silo;
    private string caPem = "";
    private Certificates? issued;

    private sealed record Certificates(string ClientPem, string ClientKey, string StrangerPfx);

    public async Task InitializeAsync()
    {
        var ca = certificates.CreateAuthority("cos cluster ca");
        caPem = certificates.WriteCertificatePem(ca, "ca");
        var (clientPem, clientKey) = certificates.WritePem(certificates.Issue(ca, "client"), "client");
        var strangerCa = certificates.CreateAuthority("someone else's ca");
        issued = new Certificates(clientPem, clientKey, certificates.WritePfx(certificates.Issue(strangerCa, "stranger"), "stranger", null));

        var options = new CosSiloOptions
        {
            Mode = HostingMode.Embedded,
            DataDirectory = dataDirectory,
            SiloPort = FreePort(),
            GatewayPort = gatewayPort,
            Slots = { CpuSlots = 0 },
            Tls = new TlsSettings
            {
                CertificatePath = certificates.WritePfx(certificates.Issue(ca, "silo"), "silo", "silo-password"),
                PasswordFile = certificates.WriteSecret("silo-password", "silo-password"),
                CaPath = caPem,
            },
        };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = dataDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(s => s.AddCos(options));
        silo = builder.Build();
        await silo.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (silo is not null)
        {
            await silo.StopAsync();
            silo.Dispose();
        }
    }

    public void Dispose()
    {
        certificates.Dispose();
        Directory.Delete(dataDirectory, recursive: true);
    }

    [Fact]
    public async Task AClientWithACertificateFromTheClustersCaMakesGrainCalls()
    {
        var settings = new TlsSettings { CertificatePath = issued!.ClientPem, KeyPath = issued.ClientKey, CaPath = caPem };

        using var client = await Connect(settings);
        var status = await client.Services.GetRequiredService<IClusterClient>().GetGrain<ISchedulerGrain>(0).GetStatus();

        Assert.NotNull(status);
    }

    [Fact]
    public async Task AClientWithoutACertificateIsRefused()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => Connect(null, TimeSpan.FromSeconds(15)));

        // At the TLS level: the gateway ends the handshake of a client that presents no certificate.
        Assert.True(await GatewayHangsUp(null));
    }

    [Fact]
    public async Task AClientWithACertificateFromAnotherCaIsRefused()
    {
        // The client trusts the silo; the silo does not trust the client.
        var settings = new TlsSettings { CertificatePath = issued!.StrangerPfx, CaPath = caPem };
        await Assert.ThrowsAnyAsync<Exception>(() => Connect(settings, TimeSpan.FromSeconds(15)));

        using var stranger = X509CertificateLoader.LoadPkcs12FromFile(issued.StrangerPfx, null);
        Assert.True(await GatewayHangsUp(stranger));
        using var trusted = X509Certificate2.CreateFromPemFile(issued.ClientPem, issued.ClientKey);
        Assert.False(await GatewayHangsUp(trusted));
    }

    /// <summary>Whether the gateway ends a TLS connection that presents <paramref name="certificate"/> at once (within 3 s).</summary>
    private async Task<bool> GatewayHangsUp(X509Certificate2? certificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, gatewayPort);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, remote, _, _) => remote?.Subject == "CN=silo",
            ClientCertificates = certificate is null ? null : [certificate],
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await tls.AuthenticateAsClientAsync(options, timeout.Token);
            // Under TLS 1.3 the server's verdict on the client's certificate arrives after the client's handshake ends.
            return await tls.ReadAsync(new byte[1], timeout.Token) == 0;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private Task<IHost> Connect(TlsSettings? tls) => Connect(tls, TimeSpan.FromSeconds(60));

    private async Task<IHost> Connect(TlsSettings? tls, TimeSpan limit)
    {
        var credentials = tls?.Load(p => p).Credentials;
        if (tls is not null) Assert.NotNull(credentials);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.UseOrleansClient(client =>
        {
            client.UseLocalhostClustering(gatewayPort, serviceId: "cos-distributed", clusterId: "cos");
            if (credentials is not null) client.UseMutualTls(credentials);
        });
        var host = builder.Build();
        try
        {
            using var timeout = new CancellationTokenSource(limit);
            await host.StartAsync(timeout.Token);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
