using CoS.Distributed.Client.Plots;
using CoS.Distributed.Client.Reports;
using CoS.Distributed.Grains.Interfaces.Groups;
using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Client.Commands;

/// <summary>Everything a finished (or partly finished) sweep leaves behind: the report in its formats and the plots.</summary>
public static class ReportOutput
{
    public static ReportFormat ParseFormat(string text) => ReportFormats.Parse(text);

    /// <summary>Writes the report (every format, or only <paramref name="only"/>) and the plots; returns the paths.</summary>
    public static IReadOnlyList<string> Write(SweepStatus status, IReadOnlyList<GroupStatistics> groups, string folder, ReportFormat? only)
    {
        ArgumentNullException.ThrowIfNull(status);
        var report = SweepReport.Build(status, groups);
        var written = new List<string>();
        foreach (var format in only is { } one ? [one] : new[] { ReportFormat.Markdown, ReportFormat.Csv, ReportFormat.Json })
            written.AddRange(ReportWriter.Write(report, format, folder));
        written.AddRange(CurvePlots.Write(groups, folder));
        if (status.Spec is { } spec) written.AddRange(ActivationPlots.Write(spec.Activations, folder));
        return written;
    }

    /// <summary>The report as Markdown, for the console.</summary>
    public static string Summary(SweepStatus status, IReadOnlyList<GroupStatistics> groups) =>
        ReportWriter.RenderMarkdown(SweepReport.Build(status, groups));
}
