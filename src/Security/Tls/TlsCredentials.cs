using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CoS.Distributed.Security.Tls;

/// <summary>This process's certificate and the rule a peer's certificate must pass (see <see cref="TlsSettings"/>).</summary>
public sealed class TlsCredentials : IDisposable
{
    private readonly IReadOnlyList<X509Certificate2> authorities;
    private readonly IReadOnlySet<string> thumbprints;

    public TlsCredentials(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> authorities, IReadOnlySet<string> thumbprints)
    {
        Certificate = certificate ?? throw new ArgumentNullException(nameof(certificate));
        this.authorities = authorities ?? throw new ArgumentNullException(nameof(authorities));
        this.thumbprints = thumbprints ?? throw new ArgumentNullException(nameof(thumbprints));
    }

    /// <summary>This process's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// Whether <paramref name="peer"/> may connect: its chain ends at one of the CA certificates (when given) and its
    /// SHA-1 or SHA-256 thumbprint is allowed (when given). The platform's verdict (host name, system roots) is not used.
    /// </summary>
    public bool Trusts(X509Certificate2? peer, X509Chain? presented)
    {
        if (peer is null) return false;
        if (thumbprints.Count > 0
            && !thumbprints.Contains(peer.Thumbprint.ToUpperInvariant())
            && !thumbprints.Contains(peer.GetCertHashString(HashAlgorithmName.SHA256).ToUpperInvariant()))
            return false;
        if (authorities.Count == 0) return true;

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities.ToArray());
        // A private cluster CA publishes no revocation list; expiry and signatures are still checked.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                if (!element.Certificate.Equals(peer)) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        return chain.Build(peer);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var authority in authorities) authority.Dispose();
    }
}
