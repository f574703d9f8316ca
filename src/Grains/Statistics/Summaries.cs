using CoS.Distributed.Grains.Interfaces.Groups;

namespace CoS.Distributed.Grains.Statistics;

public static class Summaries
{
    /// <summary>
    /// n, mean, sample variance, standard deviation, 95 % t-interval, min and max of <paramref name="values"/>
    /// (see <see cref="RunningStatistics.ToSummary"/>); null when there are none.
    /// </summary>
    public static Summary? Summarise(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var statistics = new RunningStatistics();
        foreach (var value in values) statistics.Add(value);
        return statistics.ToSummary();
    }
}
