using System.Globalization;

namespace CoS.Distributed.Training.Training;

/// <summary>Parses "cpu" and "cuda:N" (and "cuda" for cuda:0).</summary>
public static class DeviceName
{
    public static bool TryParse(string text, out (bool Cuda, int Index) device)
    {
        device = default;
        var t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return true;
        if (t == "cuda") { device = (true, 0); return true; }
        if (t.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(t.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            device = (true, index);
            return true;
        }
        return false;
    }
}
