using CoS.Distributed.Security.Secrets;
using CoS.Distributed.Security.Tls;

namespace CoS.Distributed.Client.Connections;

/// <summary>
/// Where the cluster address and the TLS settings come from: an option on the command line, else the environment.
/// A connection string is a secret, so it can come from <c>COS_CLUSTER</c> or a file (<c>--cluster-file</c>,
/// <c>COS_CLUSTER_FILE</c>) instead of <c>--cluster</c>, whose value every user of the machine sees in <c>ps</c>.
/// </summary>
public static class ClusterSources
{
    public const string ClusterVariable = "COS_CLUSTER";
    public const string ClusterFileVariable = "COS_CLUSTER_FILE";
    public const string TlsCertificateVariable = "COS_TLS_CERTIFICATE";
    public const string TlsKeyVariable = "COS_TLS_KEY";
    public const string TlsPasswordVariable = "COS_TLS_PASSWORD";
    public const string TlsPasswordFileVariable = "COS_TLS_PASSWORD_FILE";
    public const string TlsCaVariable = "COS_TLS_CA";
    public const string TlsThumbprintsVariable = "COS_TLS_THUMBPRINTS";

    /// <summary>How messages name each TLS setting: its option, and the variable that can stand for it.</summary>
    private static readonly Dictionary<string, string> TlsNames = new(StringComparer.Ordinal)
    {
        [nameof(TlsSettings.CertificatePath)] = $"--tls-certificate ({TlsCertificateVariable})",
        [nameof(TlsSettings.KeyPath)] = $"--tls-key ({TlsKeyVariable})",
        [nameof(TlsSettings.Password)] = TlsPasswordVariable,
        [nameof(TlsSettings.PasswordFile)] = $"--tls-password-file ({TlsPasswordFileVariable})",
        [nameof(TlsSettings.CaPath)] = $"--tls-ca ({TlsCaVariable})",
        [nameof(TlsSettings.AllowedThumbprints)] = $"--tls-thumbprints ({TlsThumbprintsVariable})",
    };

    /// <summary>
    /// The cluster from <paramref name="cluster"/> or <paramref name="clusterFile"/> (the command line), else from
    /// <c>COS_CLUSTER</c> or <c>COS_CLUSTER_FILE</c>; a value null when none is given (embedded mode).
    /// </summary>
    public static SecretRead Cluster(string? cluster, string? clusterFile, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(cluster) || !string.IsNullOrWhiteSpace(clusterFile))
            return SecretSource.Read(cluster, clusterFile, "--cluster", "--cluster-file");
        return SecretSource.Read(environment(ClusterVariable), environment(ClusterFileVariable), ClusterVariable, ClusterFileVariable);
    }

    /// <summary>The TLS settings from the options given, each falling back to its environment variable.</summary>
    public static TlsSettings Tls(string? certificate, string? key, string? passwordFile, string? ca, string? thumbprints, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new TlsSettings
        {
            CertificatePath = certificate ?? environment(TlsCertificateVariable),
            KeyPath = key ?? environment(TlsKeyVariable),
            Password = passwordFile is null ? environment(TlsPasswordVariable) : null,
            PasswordFile = passwordFile ?? (environment(TlsPasswordVariable) is null ? environment(TlsPasswordFileVariable) : null),
            CaPath = ca ?? environment(TlsCaVariable),
            AllowedThumbprints = thumbprints ?? environment(TlsThumbprintsVariable),
        };
    }

    /// <summary>How a TLS setting is named in the client's messages.</summary>
    public static string TlsName(string property) => TlsNames.GetValueOrDefault(property, property);
}
