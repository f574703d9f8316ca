using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoS.Distributed.Client.Reports;

/// <summary>
/// The report as JSON (System.Text.Json, camelCase, enums as strings). JSON has no NaN or infinity, so a number that
/// is not finite — a standard deviation of one seed, a p that could not be computed — is written as null, and null
/// reads back as NaN.
/// </summary>
public static class ReportJson
{
    public const string FileName = "report.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        // A file for people and tools, never embedded in HTML: keep quotes, dashes and Greek letters as they are.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(), new NonFiniteAsNull() },
    };

    public static string Serialize(SweepReport report) => JsonSerializer.Serialize(report, Options);

    public static SweepReport Deserialize(string json) =>
        JsonSerializer.Deserialize<SweepReport>(json, Options) ?? throw new JsonException("the report JSON is null");

    private sealed class NonFiniteAsNull : JsonConverter<double>
    {
        public override bool HandleNull => true;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }
    }
}
