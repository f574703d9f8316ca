using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CoS.Distributed.Security.Secrets;

namespace CoS.Distributed.Security.Tls;

/// <summary>
/// Mutual TLS for Orleans connections (silo to silo, client to gateway): this process's certificate, and how it
/// decides which peers to trust. Both ends present a certificate and both check the other's, so a process without a
/// trusted certificate can neither join the cluster nor call it. TLS is on when <see cref="CertificatePath"/> is set.
/// </summary>
/// <remarks>
/// Peers are trusted by their certificate alone: its chain must end at one of the certificates in
/// <see cref="CaPath"/>, and, when <see cref="AllowedThumbprints"/> is given, its thumbprint must be one of them (both
/// when both are given). Host names are not checked, because silos reach each other by IP address from the
/// membership table; give the cluster a CA of its own, not one that signs other services' certificates.
/// </remarks>
public sealed class TlsSettings
{
    /// <summary>This process's certificate: a PFX/PKCS#12 file with its private key, or a PEM file (key in it or in <see cref="KeyPath"/>).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of a PEM certificate, when it is not in the certificate's file.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PFX's password, or the PEM key's; better given as <see cref="PasswordFile"/> or through the environment.</summary>
    public string? Password { get; set; }

    /// <summary>A file holding <see cref="Password"/> (e.g. a mounted Kubernetes secret).</summary>
    public string? PasswordFile { get; set; }

    /// <summary>PEM file of the CA certificate(s) a peer's certificate must chain to.</summary>
    public string? CaPath { get; set; }

    /// <summary>SHA-1 or SHA-256 thumbprints (hex, separated by commas, semicolons or spaces) of the peer certificates accepted.</summary>
    public string? AllowedThumbprints { get; set; }

    /// <summary>Whether any TLS setting is given (then all that TLS needs must be).</summary>
    public bool IsGiven =>
        new[] { CertificatePath, KeyPath, Password, PasswordFile, CaPath, AllowedThumbprints }.Any(s => !string.IsNullOrWhiteSpace(s));

    /// <summary>
    /// Loads the certificates and checks every setting; <paramref name="name"/> gives a setting's name as the user writes
    /// it (<c>Cos:Tls:CertificatePath</c>, <c>--tls-certificate</c>). Credentials are null when TLS is off or a problem is found.
    /// </summary>
    public TlsLoad Load(Func<string, string> name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsGiven) return new TlsLoad(null, []);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(CertificatePath))
        {
            var given = string.Join(", ", Given().Select(name));
            problems.Add($"{given} {(Given().Count() == 1 ? "is" : "are")} given but {name(nameof(CertificatePath))} is not: mutual TLS needs this process's certificate; give it, or remove the other TLS settings");
        }

        var password = SecretSource.Read(Password, PasswordFile, name(nameof(Password)), name(nameof(PasswordFile)));
        if (password.Problem is not null) problems.Add(password.Problem);
        var thumbprints = Thumbprints(problems, name);
        var authorities = Authorities(problems, name);
        if (string.IsNullOrWhiteSpace(CaPath) && string.IsNullOrWhiteSpace(AllowedThumbprints))
            problems.Add($"{name(nameof(CaPath))} and {name(nameof(AllowedThumbprints))} are both missing: mutual TLS must know which peers to trust; "
                + $"give the CA that signs every silo's and client's certificate ({name(nameof(CaPath))}), or the peers' thumbprints ({name(nameof(AllowedThumbprints))})");

        X509Certificate2? certificate = null;
        if (!string.IsNullOrWhiteSpace(CertificatePath) && FilesExist(CertificatePath, problems, name) && password.Problem is null)
            certificate = LoadCertificate(CertificatePath, password.Value, problems, name);

        if (problems.Count > 0)
        {
            certificate?.Dispose();
            foreach (var authority in authorities) authority.Dispose();
            return new TlsLoad(null, problems);
        }
        return new TlsLoad(new TlsCredentials(certificate!, authorities, thumbprints), []);
    }

    private IEnumerable<string> Given()
    {
        if (!string.IsNullOrWhiteSpace(KeyPath)) yield return nameof(KeyPath);
        if (!string.IsNullOrWhiteSpace(Password)) yield return nameof(Password);
        if (!string.IsNullOrWhiteSpace(PasswordFile)) yield return nameof(PasswordFile);
        if (!string.IsNullOrWhiteSpace(CaPath)) yield return nameof(CaPath);
        if (!string.IsNullOrWhiteSpace(AllowedThumbprints)) yield return nameof(AllowedThumbprints);
    }

    private bool FilesExist(string path, List<string> problems, Func<string, string> name)
    {
        var found = problems.Count;
        if (!File.Exists(path))
            problems.Add($"{name(nameof(CertificatePath))}: the file '{path}' does not exist; give this process's certificate (a PFX, or a PEM with its key)");
        if (!string.IsNullOrWhiteSpace(KeyPath) && !File.Exists(KeyPath))
            problems.Add($"{name(nameof(KeyPath))}: the file '{KeyPath}' does not exist; give the certificate's PEM private key, or leave it out when the key is in {name(nameof(CertificatePath))}");
        return problems.Count == found;
    }

    private X509Certificate2? LoadCertificate(string path, string? password, List<string> problems, Func<string, string> name)
    {
        var setting = name(nameof(CertificatePath));
        X509Certificate2 certificate;
        try
        {
            certificate = IsPem(path)
                ? string.IsNullOrEmpty(password)
                    ? X509Certificate2.CreateFromPemFile(path, NullIfBlank(KeyPath))
                    : X509Certificate2.CreateFromEncryptedPemFile(path, password, NullIfBlank(KeyPath))
                : X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"{setting}: '{path}' cannot be read as a certificate with its private key ({SecretRedactor.Redact(e.Message)}); "
                + $"give a PFX with {name(nameof(Password))} if it has one, or a PEM certificate with its key (in the file or in {name(nameof(KeyPath))})");
            return null;
        }

        var found = problems.Count;
        if (!certificate.HasPrivateKey)
            problems.Add($"{setting}: '{path}' holds no private key; give a PFX that holds it, or the PEM key in {name(nameof(KeyPath))}");
        var now = DateTime.Now;
        if (certificate.NotAfter < now)
            problems.Add($"{setting}: the certificate '{certificate.Subject}' expired on {certificate.NotAfter:yyyy-MM-dd HH:mm}; give a current one");
        if (certificate.NotBefore > now)
            problems.Add($"{setting}: the certificate '{certificate.Subject}' is not valid before {certificate.NotBefore:yyyy-MM-dd HH:mm}; give a current one");
        if (problems.Count == found) return certificate;
        certificate.Dispose();
        return null;
    }

    private List<X509Certificate2> Authorities(List<string> problems, Func<string, string> name)
    {
        if (string.IsNullOrWhiteSpace(CaPath)) return [];
        var setting = name(nameof(CaPath));
        if (!File.Exists(CaPath))
        {
            problems.Add($"{setting}: the file '{CaPath}' does not exist; give the PEM file of the CA certificate that signs the cluster's certificates");
            return [];
        }
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(CaPath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"{setting}: '{CaPath}' cannot be read as PEM certificates ({SecretRedactor.Redact(e.Message)}); give the CA certificate in PEM (-----BEGIN CERTIFICATE-----)");
            return [];
        }
        if (authorities.Count == 0)
            problems.Add($"{setting}: '{CaPath}' holds no PEM certificate; give the CA certificate in PEM (-----BEGIN CERTIFICATE-----)");
        return [.. authorities];
    }

    private HashSet<string> Thumbprints(List<string> problems, Func<string, string> name)
    {
        var thumbprints = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(AllowedThumbprints)) return thumbprints;
        foreach (var given in AllowedThumbprints.Split([',', ';', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var hex = given.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();
            if (hex.Length is 40 or 64 && hex.All(char.IsAsciiHexDigit)) thumbprints.Add(hex);
            else problems.Add($"{name(nameof(AllowedThumbprints))}: '{given}' is not a certificate thumbprint; give 40 (SHA-1) or 64 (SHA-256) hex digits");
        }
        return thumbprints;
    }

    private static bool IsPem(string path)
    {
        using var reader = new StreamReader(path);
        var start = new char[4096];
        var read = reader.ReadBlock(start, 0, start.Length);
        return new string(start, 0, read).Contains("-----BEGIN", StringComparison.Ordinal);
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}

/// <summary>What <see cref="TlsSettings.Load"/> found: the credentials (null when TLS is off or unusable) and every problem.</summary>
public sealed record TlsLoad(TlsCredentials? Credentials, IReadOnlyList<string> Problems);
