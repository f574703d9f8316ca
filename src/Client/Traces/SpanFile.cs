using System.Globalization;
using System.Text.Json;

namespace CoS.Distributed.Client.Traces;

/// <summary>One span as read from OTLP/JSON: ids as lowercase hex, times as UTC, attributes as strings, longs, doubles or bools.</summary>
public sealed record TraceSpan(
    string TraceId, string SpanId, string? ParentSpanId, string Name, DateTime Start, DateTime End,
    IReadOnlyDictionary<string, object> Attributes, string? Service, string? ServiceInstance)
{
    public string? Scope { get; init; }

    /// <summary>OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer (0 unspecified).</summary>
    public int Kind { get; init; }

    /// <summary>OTLP's StatusCode: 0 unset, 1 ok, 2 error.</summary>
    public int StatusCode { get; init; }

    public string? StatusMessage { get; init; }
    public IReadOnlyList<SpanEvent> Events { get; init; } = [];
    public IReadOnlyList<SpanLink> Links { get; init; } = [];

    public TimeSpan Duration => End - Start;

    public string? Text(string key) => Attributes.TryGetValue(key, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

    public long? WholeNumber(string key) => Attributes.TryGetValue(key, out var value) switch
    {
        false => null,
        _ => value switch
        {
            long number => number,
            double number => (long)number,
            string text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => number,
            _ => null,
        },
    };
}

public sealed record SpanEvent(string Name, DateTime Time, IReadOnlyDictionary<string, object> Attributes);

public sealed record SpanLink(string TraceId, string SpanId, IReadOnlyDictionary<string, object> Attributes);

/// <summary>A span file that cannot be used: the message names the file, the problem and what to give instead.</summary>
public sealed class SpanFileException(string message) : Exception(message);

/// <summary>
/// Reads OTLP/JSON trace data: a file of one ExportTraceServiceRequest per line (the Collector's file exporter,
/// `cos run --trace-file`, Cos:Telemetry:TraceFile), or one JSON document holding resourceSpans at its root or nested
/// (a Collector file, the Aspire dashboard's /api/telemetry/traces). Ids may be hex (the OTLP/JSON rule) or base64
/// (the plain protobuf JSON mapping).
/// </summary>
public static class SpanFile
{
    public static IReadOnlyList<TraceSpan> Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpanFileException($"cannot read the span file '{path}': {e.Message}");
        }
        var spans = new List<TraceSpan>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            while (reader.Read())
            {
                using var document = JsonDocument.ParseValue(ref reader);
                foreach (var resourceSpans in FindResourceSpans(document.RootElement, depth: 0)) ReadResourceSpans(resourceSpans, spans);
            }
        }
        catch (JsonException e)
        {
            throw new SpanFileException($"the span file '{path}' is not OTLP JSON (line {e.LineNumber + 1}): {e.Message}. " +
                "Give a file written by `cos run --trace-file`, Cos:Telemetry:TraceFile or the Collector's file exporter.");
        }
        catch (FormatException e)
        {
            throw new SpanFileException($"the span file '{path}' has a malformed span: {e.Message}");
        }
        return spans;
    }

    private static IEnumerable<JsonElement> FindResourceSpans(JsonElement element, int depth)
    {
        if (depth > 4) yield break;
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                foreach (var found in FindResourceSpans(item, depth + 1)) yield return found;
            yield break;
        }
        if (element.ValueKind != JsonValueKind.Object) yield break;
        if (element.TryGetProperty("resourceSpans", out var resourceSpans) && resourceSpans.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in resourceSpans.EnumerateArray()) yield return item;
            yield break;
        }
        foreach (var property in element.EnumerateObject())
            foreach (var found in FindResourceSpans(property.Value, depth + 1)) yield return found;
    }

    private static void ReadResourceSpans(JsonElement resourceSpans, List<TraceSpan> into)
    {
        var resource = resourceSpans.TryGetProperty("resource", out var r) ? Attributes(r) : new Dictionary<string, object>();
        var service = resource.TryGetValue("service.name", out var s) ? Convert.ToString(s, CultureInfo.InvariantCulture) : null;
        var instance = resource.TryGetValue("service.instance.id", out var i) ? Convert.ToString(i, CultureInfo.InvariantCulture) : null;
        foreach (var scopeSpans in Array(resourceSpans, "scopeSpans").Concat(Array(resourceSpans, "instrumentationLibrarySpans")))
        {
            var scope = scopeSpans.TryGetProperty("scope", out var sc) || scopeSpans.TryGetProperty("instrumentationLibrary", out sc) ? Text(sc, "name") : null;
            foreach (var span in Array(scopeSpans, "spans"))
            {
                var parent = span.TryGetProperty("parentSpanId", out var p) ? Id(p.GetString()) : null;
                into.Add(new TraceSpan(
                    Id(Text(span, "traceId")) ?? throw new FormatException("a span without a traceId"),
                    Id(Text(span, "spanId")) ?? throw new FormatException("a span without a spanId"),
                    string.IsNullOrEmpty(parent) || parent.All(c => c == '0') ? null : parent,
                    Text(span, "name") ?? "",
                    Time(span, "startTimeUnixNano"),
                    Time(span, "endTimeUnixNano"),
                    Attributes(span), service, instance)
                {
                    Scope = scope,
                    Kind = Number(span, "kind"),
                    StatusCode = span.TryGetProperty("status", out var status) ? Number(status, "code") : 0,
                    StatusMessage = span.TryGetProperty("status", out status) ? Text(status, "message") : null,
                    Events = [.. Array(span, "events").Select(e => new SpanEvent(Text(e, "name") ?? "", Time(e, "timeUnixNano"), Attributes(e)))],
                    Links = [.. Array(span, "links").Select(l => new SpanLink(Id(Text(l, "traceId")) ?? "", Id(Text(l, "spanId")) ?? "", Attributes(l)))],
                });
            }
        }
    }

    // Enums are numbers in OTLP/JSON; the generic protobuf mapping may write their names (SPAN_KIND_CLIENT, STATUS_CODE_ERROR).
    private static int Number(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value)) return 0;
        if (value.ValueKind == JsonValueKind.Number) return value.GetInt32();
        return value.GetString() switch
        {
            "SPAN_KIND_INTERNAL" or "STATUS_CODE_OK" => 1,
            "SPAN_KIND_SERVER" or "STATUS_CODE_ERROR" => 2,
            "SPAN_KIND_CLIENT" => 3,
            "SPAN_KIND_PRODUCER" => 4,
            "SPAN_KIND_CONSUMER" => 5,
            _ => 0,
        };
    }

    private static IEnumerable<JsonElement> Array(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array) yield break;
        foreach (var item in array.EnumerateArray()) yield return item;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTime Time(JsonElement span, string name)
    {
        if (!span.TryGetProperty(name, out var value)) throw new FormatException($"a span without {name}");
        var nanos = value.ValueKind == JsonValueKind.Number ? value.GetUInt64() : ulong.Parse(value.GetString()!, CultureInfo.InvariantCulture);
        return DateTime.UnixEpoch.AddTicks((long)(nanos / 100));
    }

    // OTLP/JSON writes ids in hex; the generic protobuf JSON mapping writes the same bytes in base64.
    private static string? Id(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (text.Length is 16 or 32 && text.All(char.IsAsciiHexDigit)) return text.ToLowerInvariant();
        return Convert.ToHexStringLower(Convert.FromBase64String(text));
    }

    private static Dictionary<string, object> Attributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var attribute in Array(owner, "attributes"))
            if (Text(attribute, "key") is { } key && attribute.TryGetProperty("value", out var value) && Value(value) is { } read)
                attributes[key] = read;
        return attributes;
    }

    private static object? Value(JsonElement any)
    {
        if (any.ValueKind != JsonValueKind.Object) return null;
        foreach (var property in any.EnumerateObject())
            return (property.Name, property.Value.ValueKind) switch
            {
                ("stringValue", _) => property.Value.GetString(),
                ("boolValue", JsonValueKind.True or JsonValueKind.False) => property.Value.GetBoolean(),
                ("intValue", JsonValueKind.Number) => property.Value.GetInt64(),
                ("intValue", JsonValueKind.String) => long.Parse(property.Value.GetString()!, CultureInfo.InvariantCulture),
                ("doubleValue", JsonValueKind.Number) => property.Value.GetDouble(),
                ("doubleValue", JsonValueKind.String) => double.Parse(property.Value.GetString()!, CultureInfo.InvariantCulture),
                ("arrayValue", _) => string.Join(",", Array(property.Value, "values").Select(v => Convert.ToString(Value(v), CultureInfo.InvariantCulture))),
                _ => property.Value.ToString(),
            };
        return null;
    }
}
