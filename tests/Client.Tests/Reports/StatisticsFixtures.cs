using System.Text.Json;

namespace CoS.Distributed.Client.Tests.Reports;

/// <summary>The SciPy/statsmodels reference values in Fixtures/Statistics, written by Fixtures/make_statistics_fixtures.py.</summary>
internal static class StatisticsFixtures
{
    public static JsonElement Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Statistics", name);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    public static double[] Doubles(this JsonElement element) => [.. element.EnumerateArray().Select(e => e.GetDouble())];

    public static IEnumerable<object[]> Cases(string file, string array = "cases") =>
        Load(file).GetProperty(array).EnumerateArray().Select((_, i) => new object[] { i });

    public static JsonElement Case(string file, int index, string array = "cases") => Load(file).GetProperty(array)[index];

    /// <summary>Asserts |actual − expected| ≤ relative·|expected| (and exact agreement on NaN).</summary>
    public static void Near(double expected, double actual, double relative, string what)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"{what}: expected NaN, got {actual:R}");
            return;
        }
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected),
            $"{what}: expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):E2}, allowed {relative:E0})");
    }
}
