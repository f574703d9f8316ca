using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CoS.Distributed.Silo.Storage;

/// <summary>
/// Names the stores derive: "epoch-000012.attempt-0003.ckpt" (zero-padded, so name order is epoch order), and safe
/// folder, file and container names for user-chosen sweep names, cell ids and grain ids.
/// </summary>
public static class StorageNames
{
    public const int MaxEpoch = 999_999;
    public const int MaxAttempt = 999_999;
    private const string EpochPrefix = "epoch-";
    private const string AttemptInfix = ".attempt-";
    private const string Extension = ".ckpt";
    private const int EpochDigits = 6;
    private const string ContainerPrefix = "cos-";
    private const int MaxContainerLength = 63;
    private const int MaxSegmentLength = 100;

    /// <summary>The name of one attempt's checkpoint of an epoch: two attempts of a cell never share a name.</summary>
    public static string CheckpointFileName(int epoch, int attempt)
    {
        if (epoch < 0 || epoch > MaxEpoch)
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, $"a checkpoint's epoch must be between 0 and {MaxEpoch}");
        if (attempt < 1 || attempt > MaxAttempt)
            throw new ArgumentOutOfRangeException(nameof(attempt), attempt, $"a checkpoint's attempt must be between 1 and {MaxAttempt}");
        return EpochPrefix + epoch.ToString("D6", CultureInfo.InvariantCulture)
            + AttemptInfix + attempt.ToString("D4", CultureInfo.InvariantCulture) + Extension;
    }

    /// <summary>
    /// The epoch and attempt of a name written by <see cref="CheckpointFileName"/>, or of one written before
    /// checkpoints were named per attempt ("epoch-000012.ckpt", attempt 0); false for anything else (temp files).
    /// </summary>
    public static bool TryParseCheckpoint(string fileName, out int epoch, out int attempt)
    {
        epoch = 0;
        attempt = 0;
        if (fileName.Length < EpochPrefix.Length + EpochDigits + Extension.Length
            || !fileName.StartsWith(EpochPrefix, StringComparison.Ordinal)
            || !fileName.EndsWith(Extension, StringComparison.Ordinal))
            return false;
        var body = fileName.AsSpan(EpochPrefix.Length, fileName.Length - EpochPrefix.Length - Extension.Length);
        if (!TryParseDigits(body[..EpochDigits], out epoch))
            return false;
        var rest = body[EpochDigits..];
        if (rest.IsEmpty)
            return true;
        // Only the canonical spelling counts, so one checkpoint never answers to two names.
        return rest.StartsWith(AttemptInfix, StringComparison.Ordinal)
            && TryParseDigits(rest[AttemptInfix.Length..], out attempt)
            && attempt is >= 1 and <= MaxAttempt
            && fileName == CheckpointFileName(epoch, attempt);
    }

    /// <summary>
    /// A blob container name for a sweep: "cos-" + the name in lowercase letters, digits and single hyphens,
    /// plus a short hash of the original whenever that mapping changed or shortened it, so distinct sweeps
    /// never share a container ("MySweep" and "mysweep" differ).
    /// </summary>
    public static string ContainerName(string sweep)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweep);
        var body = new StringBuilder(sweep.Length);
        foreach (var c in sweep)
        {
            var mapped = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '-';
            if (mapped == '-' && (body.Length == 0 || body[^1] == '-'))
                continue;
            body.Append(mapped);
        }
        while (body.Length > 0 && body[^1] == '-')
            body.Length--;
        var exact = body.ToString() == sweep;
        var room = MaxContainerLength - ContainerPrefix.Length;
        if (exact && body.Length <= room)
            return ContainerPrefix + body;
        var hash = ShortHash(sweep);
        var keep = Math.Min(body.Length, room - hash.Length - 1);
        var head = body.ToString(0, keep).TrimEnd('-');
        return head.Length == 0 ? ContainerPrefix + hash : ContainerPrefix + head + "-" + hash;
    }

    /// <summary>
    /// A single path segment (folder or blob-name part) for a sweep name or cell id: kept as is when it is
    /// plain letters, digits, '.', '_' or '-', otherwise made plain and suffixed with a short hash of the original.
    /// </summary>
    public static string Segment(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var plain = name.Length <= MaxSegmentLength && name is not "." and not ".."
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
        if (plain)
            return name;
        var body = new StringBuilder(name.Length);
        foreach (var c in name)
            body.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        var head = body.ToString(0, Math.Min(body.Length, MaxSegmentLength - 9));
        return head + "-" + ShortHash(name);
    }

    private static bool TryParseDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        return digits.Length is > 0 and <= 9
            && digits.IndexOfAnyExceptInRange('0', '9') < 0
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static string ShortHash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 4);
}
