namespace CoS.Distributed.Security.Secrets;

/// <summary>A secret, or why it could not be had; <see cref="Value"/> is null when none was given.</summary>
public sealed record SecretRead(string? Value, string? Problem);

/// <summary>
/// A secret given either as a value (configuration, an environment variable) or as a file that holds it (a Kubernetes
/// secret volume, a file only its owner can read), so that no secret has to be on a command line, where every user of
/// the machine sees it in <c>ps</c>.
/// </summary>
public static class SecretSource
{
    /// <summary>The most a secret file may hold; anything larger is not a secret file.</summary>
    public const int MaxFileLength = 64 * 1024;

    /// <summary>
    /// The secret from <paramref name="value"/> or from the file <paramref name="file"/> (its text, trimmed), never both.
    /// <paramref name="valueName"/> and <paramref name="fileName"/> are how messages name the two settings.
    /// </summary>
    public static SecretRead Read(string? value, string? file, string valueName, string fileName)
    {
        var hasValue = !string.IsNullOrWhiteSpace(value);
        var hasFile = !string.IsNullOrWhiteSpace(file);
        if (hasValue && hasFile)
            return new SecretRead(null, $"{valueName} and {fileName} are both given: give one (the file is the safer: a value on a command line shows in `ps`)");
        if (hasValue) return new SecretRead(value!.Trim(), null);
        return hasFile ? ReadFile(file!, fileName) : new SecretRead(null, null);
    }

    /// <summary>The trimmed text of the secret file <paramref name="file"/>, or the problem, naming it as <paramref name="fileName"/>.</summary>
    public static SecretRead ReadFile(string file, string fileName)
    {
        ArgumentNullException.ThrowIfNull(file);
        string text;
        try
        {
            var info = new FileInfo(file);
            if (Directory.Exists(file)) return new SecretRead(null, $"{fileName}: '{file}' is a folder; give the file that holds the secret");
            if (!info.Exists) return new SecretRead(null, $"{fileName}: the file '{file}' does not exist; give the file that holds the secret (for example a mounted Kubernetes secret)");
            if (info.Length > MaxFileLength) return new SecretRead(null, $"{fileName}: the file '{file}' is {info.Length} bytes, too large for a secret (at most {MaxFileLength}); give the file that holds only the secret");
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SecretRead(null, $"{fileName}: the file '{file}' cannot be read ({SecretRedactor.Redact(e.Message)}); check that this user may read it");
        }
        text = text.Trim();
        return text.Length == 0
            ? new SecretRead(null, $"{fileName}: the file '{file}' is empty; write the secret into it")
            : new SecretRead(text, null);
    }
}
