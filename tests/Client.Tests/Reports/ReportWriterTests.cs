using System.Globalization;
using System.Text.Json;
using CoS.Distributed.Client.Reports;
using CoS.Distributed.Grains.Interfaces.Cells;
using Microsoft.VisualBasic.FileIO;

namespace CoS.Distributed.Client.Tests.Reports;

/// <summary>The Markdown, CSV and JSON renderings of a report, read back the way a person or a tool would.</summary>
public sealed class ReportWriterTests : IDisposable
{
    private const string Formula = "max(0.1*x, x)";
    private readonly string folder = Path.Combine(Path.GetTempPath(), "cos-report-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    /// <summary>The paper-like report, plus a table where a formula (with a comma) has one seed: NaNs and quoting to render.</summary>
    private static SweepReport ReportWithGaps()
    {
        var (status, groups) = SweepSample.Finish(
            SweepSample.Spec(["small_cnn"], ["relu", Formula], baseline: "relu", seeds: 3),
            cell => cell.Activation != "relu" && cell.Seed > 1
                ? new SampleOutcome(AttemptEnd.Diverged, double.NaN)
                : new SampleOutcome(AttemptEnd.Completed, 90 + cell.Seed * 0.25));
        return SweepReport.Build(status, groups);
    }

    [Fact]
    public void MarkdownHasOneTablePerModelWithARowPerActivationAndTheLegend()
    {
        var markdown = ReportWriter.RenderMarkdown(SweepReportTests.PaperLikeReport());
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        var heading = lines.IndexOf("## ShuffleNetV2");
        Assert.True(heading >= 0, markdown);
        Assert.StartsWith("| activation | n | time / epoch (s) | test loss | test accuracy (%) |", lines[heading + 2], StringComparison.Ordinal);
        Assert.Equal("|---|---:|---:|---:|---:|---:|---:|---:|---:|", lines[heading + 3]);
        // CoS: mean 88.14 ± 0.32 over 5 seeds, t-interval 88.14 ± 2.776·0.3194/√5.
        Assert.Equal(["| ReLU (baseline) | 5 |", "| Swish | 5 |", "| CoS | 5 |"], lines.Skip(heading + 4).Take(3).Select(l => l[..(l.IndexOf(" | 5 |", StringComparison.Ordinal) + 6)]));
        Assert.Contains("| 88.14 ± 0.32 | [87.74, 88.54] |", lines[heading + 6], StringComparison.Ordinal);

        var comparisons = lines.Skip(heading).First(l => l.StartsWith("| CoS | +", StringComparison.Ordinal));
        Assert.Contains("| 0.011 | 0.005 (5) |", comparisons, StringComparison.Ordinal);
        Assert.Contains("| 0.96 | 0.042 | **better** | 5 |", comparisons, StringComparison.Ordinal);
        Assert.Contains("no significant difference at n = 5", markdown, StringComparison.Ordinal);
        Assert.Contains("## SqueezeNet1_1", lines);
        Assert.Contains("## How to read this", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith('|') && l.Contains("NaN", StringComparison.Ordinal));
    }

    [Fact]
    public void MarkdownShowsADashAndTheReasonWhereNothingCouldBeComputed()
    {
        var markdown = ReportWriter.RenderMarkdown(ReportWithGaps());
        var row = markdown.Split('\n').First(l => l.StartsWith("| max(0.1*x, x) | 1 |", StringComparison.Ordinal));
        Assert.Contains("| 90.25 | — | 2 | 0 | 0 |", row, StringComparison.Ordinal);
        Assert.Contains("not testable: max(0.1*x, x) has 1 seed completed; a test needs at least 2 on each side", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(markdown.Split('\n'), l => l.StartsWith('|') && l.Contains("NaN", StringComparison.Ordinal));
    }

    [Fact]
    public void CsvFilesParseAndHoldEveryRowWithFullPrecision()
    {
        var report = SweepReportTests.PaperLikeReport();
        var paths = ReportWriter.Write(report, ReportFormat.Csv, folder);
        Assert.Equal(["report-activations.csv", "report-comparisons.csv", "report-seeds.csv"], paths.Select(Path.GetFileName));

        var activations = ReadCsv(paths[0]);
        Assert.Equal(1 + 6, activations.Count);
        Assert.All(activations, r => Assert.Equal(activations[0].Length, r.Length));
        var header = activations[0].ToList();
        var cos = activations.Single(r => r[header.IndexOf("model")] == "ShuffleNetV2" && r[header.IndexOf("activation")] == "cos");
        var cosRow = report.Tables[0].Rows[2];
        Assert.Equal(cosRow.TestAccuracy.Mean, double.Parse(cos[header.IndexOf("test_accuracy_mean")], CultureInfo.InvariantCulture));
        Assert.Equal(cosRow.AccuracyInterval.High, double.Parse(cos[header.IndexOf("test_accuracy_ci_high")], CultureInfo.InvariantCulture));

        var comparisons = ReadCsv(paths[1]);
        Assert.Equal(1 + 4, comparisons.Count);
        var ch = comparisons[0].ToList();
        Assert.Equal(["Better", "Better"], comparisons.Skip(1).Where(r => r[ch.IndexOf("activation")] == "cos").Select(r => r[ch.IndexOf("verdict")]));
        Assert.Equal(report.Tables[0].Comparisons[1].HolmP, double.Parse(comparisons[2][ch.IndexOf("holm_p")], CultureInfo.InvariantCulture));

        var seeds = ReadCsv(paths[2]);
        Assert.Equal(1 + 2 * 3 * 5, seeds.Count);
    }

    [Fact]
    public void CsvQuotesAFormulaWithACommaAndLeavesMissingNumbersEmpty()
    {
        var paths = ReportWriter.Write(ReportWithGaps(), ReportFormat.Csv, folder);
        Assert.Contains("\"max(0.1*x, x)\"", File.ReadAllText(paths[0]), StringComparison.Ordinal);
        var activations = ReadCsv(paths[0]);
        var header = activations[0].ToList();
        // The cluster's canonical form drops the space; the display name keeps the formula as written.
        var formula = activations.Single(r => r[header.IndexOf("display_name")] == Formula);
        Assert.Equal("max(0.1*x,x)", formula[header.IndexOf("activation")]);
        Assert.Equal("", formula[header.IndexOf("test_accuracy_std")]);
        Assert.Equal("2", formula[header.IndexOf("diverged")]);

        var comparison = ReadCsv(paths[1])[1];
        var ch = ReadCsv(paths[1])[0].ToList();
        Assert.Equal("NotTestable", comparison[ch.IndexOf("verdict")]);
        Assert.Equal("", comparison[ch.IndexOf("welch_p")]);
        Assert.Equal("", comparison[ch.IndexOf("seeds_for_80_power")]);
        Assert.StartsWith("needs at least 2 values on each side", comparison[ch.IndexOf("not_computable")], StringComparison.Ordinal);
    }

    [Fact]
    public void JsonRoundTripsAndWritesNullWhereANumberIsNotFinite()
    {
        var report = ReportWithGaps();
        var path = Assert.Single(ReportWriter.Write(report, ReportFormat.Json, folder));
        Assert.Equal("report.json", Path.GetFileName(path));
        var json = File.ReadAllText(path);

        // A strict parser accepts it: no NaN or Infinity tokens.
        using var document = JsonDocument.Parse(json);
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", json, StringComparison.Ordinal);
        var formulaRow = document.RootElement.GetProperty("tables")[0].GetProperty("rows")[1];
        Assert.Equal(Formula, formulaRow.GetProperty("displayName").GetString());
        Assert.Equal(JsonValueKind.Null, formulaRow.GetProperty("testAccuracy").GetProperty("standardDeviation").ValueKind);
        Assert.Equal("NotTestable", document.RootElement.GetProperty("tables")[0].GetProperty("comparisons")[0].GetProperty("verdict").GetString());

        var back = ReportJson.Deserialize(json);
        Assert.Equal(json, ReportJson.Serialize(back));
        Assert.True(double.IsNaN(back.Tables[0].Rows[1].TestAccuracy.StandardDeviation));
        Assert.Equal(report.Tables[0].Rows[0].TestAccuracy, back.Tables[0].Rows[0].TestAccuracy);
        Assert.Equal(report.Tables[0].Comparisons[0].Power, back.Tables[0].Comparisons[0].Power);
    }

    [Fact]
    public void JsonOfTheFullReportRoundTripsEveryNumber()
    {
        var report = SweepReportTests.PaperLikeReport();
        var back = ReportJson.Deserialize(ReportJson.Serialize(report));
        var pairs = report.Tables.SelectMany(t => t.Comparisons).Zip(back.Tables.SelectMany(t => t.Comparisons));
        foreach (var (original, read) in pairs)
        {
            Assert.Equal(original.Welch, read.Welch);
            Assert.Equal(original.Paired, read.Paired);
            Assert.Equal(original.Bootstrap, read.Bootstrap);
            Assert.Equal(original.HolmP, read.HolmP);
            Assert.Equal(original.Verdict, read.Verdict);
        }
        Assert.Equal(report.Method, back.Method);
    }

    [Fact]
    public void WriteCreatesTheFolderAndReturnsEveryPathWritten()
    {
        var report = SweepReportTests.PaperLikeReport();
        var nested = Path.Combine(folder, "out", "report");
        var written = Enum.GetValues<ReportFormat>().SelectMany(f => ReportWriter.Write(report, f, nested)).ToList();
        Assert.Equal(5, written.Count);
        Assert.All(written, p => Assert.True(File.Exists(p) && new FileInfo(p).Length > 0, p));
        Assert.Equal(ReportWriter.RenderMarkdown(report), File.ReadAllText(Path.Combine(nested, "report.md")));
    }

    [Theory]
    [InlineData("md", ReportFormat.Markdown)]
    [InlineData("Markdown", ReportFormat.Markdown)]
    [InlineData(" CSV ", ReportFormat.Csv)]
    [InlineData("json", ReportFormat.Json)]
    public void FormatsAreParsedFromTheCommandLineWords(string text, ReportFormat expected) =>
        Assert.Equal(expected, ReportFormats.Parse(text));

    [Fact]
    public void AnUnknownFormatNamesTheInputAndTheChoices()
    {
        var error = Assert.Throws<ArgumentException>(() => ReportFormats.Parse("xml"));
        Assert.StartsWith("report format 'xml' is not known: use md, csv or json", error.Message, StringComparison.Ordinal);
    }

    private static List<string[]> ReadCsv(string path)
    {
        using var parser = new TextFieldParser(path) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        var rows = new List<string[]>();
        while (!parser.EndOfData) rows.Add(parser.ReadFields()!);
        return rows;
    }
}
