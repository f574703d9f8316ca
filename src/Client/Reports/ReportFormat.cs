namespace CoS.Distributed.Client.Reports;

/// <summary>The files a report can be written as.</summary>
public enum ReportFormat
{
    /// <summary>report.md: readable tables and a legend.</summary>
    Markdown,

    /// <summary>report-activations.csv, report-comparisons.csv and report-seeds.csv: one long (tidy) file per kind of row.</summary>
    Csv,

    /// <summary>report.json: the whole report, raw per-seed values included; numbers that are not finite are null.</summary>
    Json,
}

public static class ReportFormats
{
    /// <summary>The format a user named on the command line: md (or markdown), csv or json, in any case.</summary>
    public static ReportFormat Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "md" or "markdown" => ReportFormat.Markdown,
            "csv" => ReportFormat.Csv,
            "json" => ReportFormat.Json,
            _ => throw new ArgumentException($"report format '{text}' is not known: use md, csv or json", nameof(text)),
        };
    }
}
