using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CoS.Distributed.Testing;

/// <summary>
/// Certificates a test makes for itself: a CA and certificates it signs (for silos and clients: server and client
/// authentication, localhost and 127.0.0.1), written to a temporary folder as PFX or PEM files.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly List<IDisposable> owned = [];

    public string Folder { get; } = Directory.CreateTempSubdirectory("cos-certs-").FullName;

    /// <summary>A self-signed CA certificate with its key.</summary>
    public X509Certificate2 CreateAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return Own(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)));
    }

    /// <summary>A certificate signed by <paramref name="authority"/>, with its key, valid from <paramref name="notBefore"/> (default: yesterday).</summary>
    public X509Certificate2 Issue(X509Certificate2 authority, string name, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var signed = request.Create(authority, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddMonths(6), serial);
        return Own(signed.CopyWithPrivateKey(key));
    }

    /// <summary>Writes the certificate and its key as a password-protected PFX; returns its path.</summary>
    public string WritePfx(X509Certificate2 certificate, string name, string? password)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var path = Path.Combine(Folder, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }

    /// <summary>Writes the certificate and its key as two PEM files; returns their paths.</summary>
    public (string Certificate, string Key) WritePem(X509Certificate2 certificate, string name)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var certificatePath = Path.Combine(Folder, name + ".crt.pem");
        var keyPath = Path.Combine(Folder, name + ".key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the certificate has no ECDSA key");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    /// <summary>Writes only the certificate (no key) as PEM: how a CA is handed to the processes that trust it.</summary>
    public string WriteCertificatePem(X509Certificate2 certificate, string name)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var path = Path.Combine(Folder, name + ".pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>Writes <paramref name="text"/> to a file in the folder: a password or connection string file.</summary>
    public string WriteSecret(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text + "\n");
        return path;
    }

    public void Dispose()
    {
        foreach (var item in owned) item.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private X509Certificate2 Own(X509Certificate2 certificate)
    {
        owned.Add(certificate);
        return certificate;
    }
}
