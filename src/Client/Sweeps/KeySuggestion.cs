namespace CoS.Distributed.Client.Sweeps;

/// <summary>The key a user probably meant when they wrote one the sweep file does not know.</summary>
internal static class KeySuggestion
{
    // Spellings from other tools and from the spec's own field names, too far from ours for an edit distance to find.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["baseline_activation"] = "baseline",
        ["checkpoint_every_epochs"] = "checkpoint_every",
        ["checkpoint_interval"] = "checkpoint_every",
        ["attempts"] = "max_attempts",
        ["retries"] = "max_attempts",
        ["data"] = "dataset",
        ["lr"] = "learning_rate",
        ["wd"] = "weight_decay",
        ["bs"] = "batch_size",
        ["momenta"] = "momentum",
        ["warmup"] = "warmup_epochs",
        ["lr_schedule"] = "schedule",
        ["scheduler"] = "schedule",
    };

    /// <summary>The candidate closest to <paramref name="key"/>, or null when none is close enough to be a typo.</summary>
    public static string? Closest(string key, IReadOnlyCollection<string> candidates)
    {
        if (Aliases.TryGetValue(key, out var alias) && candidates.Contains(alias)) return alias;
        var typed = Normalise(key);
        var best = candidates
            .Select(c => (Candidate: c, Distance: Distance(typed, Normalise(c))))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        return best.Candidate is not null && best.Distance <= Math.Max(1, typed.Length / 3) ? best.Candidate : null;
    }

    private static string Normalise(string key) => key.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_');

    /// <summary>Edits (insert, delete, substitute, swap two neighbours) that turn one key into the other.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
