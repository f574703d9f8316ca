using System.Text;

namespace CoS.Distributed.Client.Reports;

/// <summary>Writes a report's files into a folder, or renders it for a console.</summary>
public static class ReportWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Writes the report in <paramref name="format"/> into <paramref name="outDirectory"/> (created if missing, files
    /// of the same name replaced) and returns the full paths written: report.md; report-activations.csv,
    /// report-comparisons.csv and report-seeds.csv; or report.json.
    /// </summary>
    public static IReadOnlyList<string> Write(SweepReport report, ReportFormat format, string outDirectory)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(outDirectory);
        Directory.CreateDirectory(outDirectory);
        IEnumerable<(string Name, string Text)> files = format switch
        {
            ReportFormat.Markdown => [("report.md", RenderMarkdown(report))],
            ReportFormat.Csv =>
            [
                (CsvReport.ActivationsFile, CsvReport.Activations(report)),
                (CsvReport.ComparisonsFile, CsvReport.Comparisons(report)),
                (CsvReport.SeedsFile, CsvReport.Seeds(report)),
            ],
            ReportFormat.Json => [(ReportJson.FileName, ReportJson.Serialize(report))],
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown report format"),
        };
        var written = new List<string>();
        foreach (var (name, text) in files)
        {
            var path = Path.GetFullPath(Path.Combine(outDirectory, name));
            File.WriteAllText(path, text, Utf8);
            written.Add(path);
        }
        return written;
    }

    /// <summary>The Markdown report as text, for printing to a console.</summary>
    public static string RenderMarkdown(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return MarkdownReport.Render(report);
    }
}
