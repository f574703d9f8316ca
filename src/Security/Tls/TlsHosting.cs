using Orleans.Connections.Security;
using Orleans.Hosting;

namespace CoS.Distributed.Security.Tls;

/// <summary>Mutual TLS on Orleans' connections, through Microsoft.Orleans.Connections.Security.</summary>
public static class TlsHosting
{
    /// <summary>Silo-to-silo and gateway connections require TLS with a trusted certificate at both ends.</summary>
    public static ISiloBuilder UseMutualTls(this ISiloBuilder silo, TlsCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(credentials);
        return silo.UseTls(credentials.Certificate, o => Configure(o, credentials));
    }

    /// <summary>The client's connections to gateways require TLS with a trusted certificate at both ends.</summary>
    public static IClientBuilder UseMutualTls(this IClientBuilder client, TlsCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(credentials);
        return client.UseTls(credentials.Certificate, o => Configure(o, credentials));
    }

    private static void Configure(TlsOptions options, TlsCredentials credentials)
    {
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.CheckCertificateRevocation = false;
        options.RemoteCertificateValidation = (certificate, chain, _) => credentials.Trusts(certificate, chain);
    }
}
