using System.Text.RegularExpressions;

namespace CoS.Distributed.Security.Secrets;

/// <summary>
/// Removes secrets from text before it is shown or logged: the values of connection-string keys that grant access
/// (AccountKey, SharedAccessKey, SharedAccessSignature, Password, Pwd), the signature of a SAS query string (sig=),
/// and the signature in a SharedKey authorization header. What is left (account name, endpoints, a SAS token's
/// expiry se=, permissions sp=, version sv=) says which account and what went wrong without granting anything.
/// </summary>
public static partial class SecretRedactor
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "[redacted]";

    /// <summary><paramref name="text"/> with every secret replaced by <see cref="Mask"/>; null stays null.</summary>
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        text = ConnectionStringSecret().Replace(text, m => m.Groups["key"].Value + m.Groups["eq"].Value + Mask);
        text = SasSignature().Replace(text, m => m.Groups["key"].Value + Mask);
        return SharedKeyHeader().Replace(text, m => m.Groups["scheme"].Value + m.Groups["account"].Value + ":" + Mask);
    }

    /// <summary>Whether <paramref name="text"/> holds something <see cref="Redact"/> would remove.</summary>
    public static bool HasSecret(string? text) => !string.Equals(Redact(text), text, StringComparison.Ordinal);

    // A connection-string value runs to the next ';', white space or quote; a SAS value (sv=…&sig=…) goes whole.
    [GeneratedRegex(@"(?<key>\b(?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd))(?<eq>\s*=\s*)(?!\[redacted\])[^;\s""'<>]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionStringSecret();

    [GeneratedRegex(@"(?<key>(?:[?&]|&amp;|\b)sig=)(?!\[redacted\])[^&\s""'<>#;]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SasSignature();

    [GeneratedRegex(@"(?<scheme>\bSharedKey(?:Lite)?\s+)(?<account>[^:\s]+):(?!\[redacted\])[A-Za-z0-9+/=]+", RegexOptions.CultureInvariant)]
    private static partial Regex SharedKeyHeader();
}
