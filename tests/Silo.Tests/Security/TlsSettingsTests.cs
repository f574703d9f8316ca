using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CoS.Distributed.Security.Tls;
using CoS.Distributed.Testing;

namespace CoS.Distributed.Silo.Tests.Security;

public sealed class TlsSettingsTests : IDisposable
{
    private readonly TestCertificates certificates = new();

    public void Dispose() => certificates.Dispose();

    private static string Name(string property) => $"Cos:Tls:{property}";

    [Fact]
    public void APasswordProtectedPfxWithItsPasswordInAFileAndACaLoad()
    {
        var ca = certificates.CreateAuthority("cos test ca");
        var silo = certificates.Issue(ca, "silo");
        var settings = new TlsSettings
        {
            CertificatePath = certificates.WritePfx(silo, "silo", "pfx-password"),
            PasswordFile = certificates.WriteSecret("password", "pfx-password"),
            CaPath = certificates.WriteCertificatePem(ca, "ca"),
        };

        var load = settings.Load(Name);

        Assert.Empty(load.Problems);
        using var credentials = load.Credentials!;
        Assert.True(credentials.Certificate.HasPrivateKey);
        Assert.Equal(silo.Thumbprint, credentials.Certificate.Thumbprint);
    }

    [Fact]
    public void APemCertificateWithItsKeyInAnotherFileLoads()
    {
        var ca = certificates.CreateAuthority("cos test ca");
        var (certificate, key) = certificates.WritePem(certificates.Issue(ca, "client"), "client");
        var settings = new TlsSettings { CertificatePath = certificate, KeyPath = key, AllowedThumbprints = ca.Thumbprint };

        var load = settings.Load(Name);

        Assert.Empty(load.Problems);
        Assert.True(load.Credentials!.Certificate.HasPrivateKey);
        load.Credentials.Dispose();
    }

    [Fact]
    public void NoTlsSettingMeansTlsIsOff()
    {
        var load = new TlsSettings().Load(Name);
        Assert.Null(load.Credentials);
        Assert.Empty(load.Problems);
    }

    [Fact]
    public void EveryProblemIsListedAtOnceNamingTheSettingAndTheFile()
    {
        var settings = new TlsSettings
        {
            CertificatePath = "/nonexistent/silo.pfx",
            Password = "p",
            PasswordFile = "/nonexistent/password",
            CaPath = "/nonexistent/ca.pem",
            AllowedThumbprints = "not-a-thumbprint",
        };

        var problems = settings.Load(Name).Problems;

        Assert.Contains(problems, p => p.StartsWith("Cos:Tls:Password and Cos:Tls:PasswordFile are both given: give one", StringComparison.Ordinal));
        Assert.Contains("Cos:Tls:AllowedThumbprints: 'not-a-thumbprint' is not a certificate thumbprint; give 40 (SHA-1) or 64 (SHA-256) hex digits", problems);
        Assert.Contains(problems, p => p.StartsWith("Cos:Tls:CaPath: the file '/nonexistent/ca.pem' does not exist", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Cos:Tls:CertificatePath: the file '/nonexistent/silo.pfx' does not exist", StringComparison.Ordinal));
        Assert.Equal(4, problems.Count);
    }

    [Fact]
    public void AMissingCertificateAndNoWayToTrustPeersAreBothReported()
    {
        var problems = new TlsSettings { CertificatePath = "/nonexistent/silo.pfx" }.Load(Name).Problems;

        Assert.Contains(problems, p => p.StartsWith("Cos:Tls:CertificatePath: the file '/nonexistent/silo.pfx' does not exist", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Cos:Tls:CaPath and Cos:Tls:AllowedThumbprints are both missing: mutual TLS must know which peers to trust", StringComparison.Ordinal));
    }

    [Fact]
    public void SettingsWithoutACertificateAreRefused()
    {
        var ca = certificates.WriteCertificatePem(certificates.CreateAuthority("ca"), "ca");
        var problem = Assert.Single(new TlsSettings { CaPath = ca }.Load(Name).Problems);
        Assert.Equal("Cos:Tls:CaPath is given but Cos:Tls:CertificatePath is not: mutual TLS needs this process's certificate; give it, or remove the other TLS settings", problem);
    }

    [Fact]
    public void AWrongPasswordAKeylessCertificateAndAnExpiredOneAreRefused()
    {
        var ca = certificates.CreateAuthority("ca");
        var caPem = certificates.WriteCertificatePem(ca, "ca");
        var pfx = certificates.WritePfx(certificates.Issue(ca, "silo"), "silo", "right");
        var wrong = new TlsSettings { CertificatePath = pfx, Password = "wrong", CaPath = caPem }.Load(Name).Problems;
        Assert.StartsWith($"Cos:Tls:CertificatePath: '{pfx}' cannot be read as a certificate with its private key", Assert.Single(wrong), StringComparison.Ordinal);

        var keyless = certificates.WriteCertificatePem(certificates.Issue(ca, "keyless"), "keyless");
        var noKey = new TlsSettings { CertificatePath = keyless, CaPath = caPem }.Load(Name).Problems;
        Assert.StartsWith($"Cos:Tls:CertificatePath: '{keyless}' cannot be read as a certificate with its private key", Assert.Single(noKey), StringComparison.Ordinal);

        using var oldKey = ECDsa.Create();
        using var old = new CertificateRequest("CN=old", oldKey, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddYears(-1));
        var expired = new TlsSettings { CertificatePath = certificates.WritePfx(old, "old", null), CaPath = caPem }.Load(Name).Problems;
        Assert.Contains("the certificate 'CN=old' expired on", Assert.Single(expired), StringComparison.Ordinal);
    }

    [Fact]
    public void APeerIsTrustedOnlyWhenItsChainEndsAtTheCaAndItsThumbprintIsAllowed()
    {
        var ca = certificates.CreateAuthority("cluster ca");
        var other = certificates.CreateAuthority("other ca");
        var own = certificates.Issue(ca, "silo-1");
        var peer = certificates.Issue(ca, "silo-2");
        var stranger = certificates.Issue(other, "stranger");
        var caPem = certificates.WriteCertificatePem(ca, "ca");
        var pfx = certificates.WritePfx(own, "own", null);

        using var byCa = new TlsSettings { CertificatePath = pfx, CaPath = caPem }.Load(Name).Credentials!;
        Assert.True(byCa.Trusts(peer, null));
        Assert.False(byCa.Trusts(stranger, null));
        Assert.False(byCa.Trusts(null, null));

        using var pinned = new TlsSettings { CertificatePath = pfx, CaPath = caPem, AllowedThumbprints = peer.GetCertHashString(HashAlgorithmName.SHA256) }.Load(Name).Credentials!;
        Assert.True(pinned.Trusts(peer, null));
        Assert.False(pinned.Trusts(own, null));

        using var byThumbprint = new TlsSettings { CertificatePath = pfx, AllowedThumbprints = $"{stranger.Thumbprint}, {peer.Thumbprint.ToLowerInvariant()}" }.Load(Name).Credentials!;
        Assert.True(byThumbprint.Trusts(stranger, null));
        Assert.True(byThumbprint.Trusts(peer, null));
        Assert.False(byThumbprint.Trusts(own, null));
    }
}
