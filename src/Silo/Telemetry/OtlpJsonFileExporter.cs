using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Resources;

namespace CoS.Distributed.Silo.Telemetry;

/// <summary>
/// Appends spans to a file as OTLP/JSON, one ExportTraceServiceRequest per line (the format of the OpenTelemetry
/// Collector's file exporter): resourceSpans → resource → scopeSpans → scope → spans, ids as lowercase hex, times as
/// decimal strings of Unix nanoseconds. Several processes may append to one file: each batch is written under an
/// exclusive lock on the file (open, append one line, close), so lines never interleave.
/// </summary>
public sealed class OtlpJsonFileExporter : BaseExporter<Activity>
{
    // One process's exporters take turns here; other processes are kept out by the file lock.
    private static readonly Lock InProcess = new();
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    /// <exception cref="ArgumentException">The file cannot be created or written: said at start, not lost with the spans.</exception>
    public OtlpJsonFileExporter(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        try
        {
            if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
            using var probe = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot write spans to '{Path}': {e.Message.TrimEnd('.')}; give a trace file in a folder this process can write", e);
        }
    }

    public string Path { get; }

    public override ExportResult Export(in Batch<Activity> batch)
    {
        using var line = new MemoryStream();
        using (var json = new Utf8JsonWriter(line))
        {
            var spans = new List<Activity>();
            foreach (var span in batch) spans.Add(span);
            if (spans.Count == 0) return ExportResult.Success;
            WriteRequest(json, ParentProvider?.GetResource() ?? Resource.Empty, spans);
        }
        line.WriteByte((byte)'\n');
        return Append(line) ? ExportResult.Success : ExportResult.Failure;
    }

    private bool Append(MemoryStream line)
    {
        var deadline = Stopwatch.StartNew();
        lock (InProcess)
        {
            while (true)
            {
                try
                {
                    // FileShare.None takes an exclusive advisory lock, which another process's exporter also asks for.
                    using var file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None);
                    file.Seek(0, SeekOrigin.End);
                    line.WriteTo(file);
                    return true;
                }
                catch (IOException) when (deadline.Elapsed < LockWait)
                {
                    Thread.Sleep(Random.Shared.Next(2, 20));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Trace.TraceError($"spans not written to {Path}: {e.Message}");
                    return false;
                }
            }
        }
    }

    private static void WriteRequest(Utf8JsonWriter json, Resource resource, List<Activity> spans)
    {
        json.WriteStartObject();
        json.WriteStartArray("resourceSpans");
        json.WriteStartObject();
        json.WriteStartObject("resource");
        WriteAttributes(json, resource.Attributes.Select(a => new KeyValuePair<string, object?>(a.Key, a.Value)));
        json.WriteEndObject();
        json.WriteStartArray("scopeSpans");
        foreach (var scope in spans.GroupBy(s => (s.Source.Name, s.Source.Version)))
        {
            json.WriteStartObject();
            json.WriteStartObject("scope");
            json.WriteString("name", scope.Key.Name);
            if (!string.IsNullOrEmpty(scope.Key.Version)) json.WriteString("version", scope.Key.Version);
            json.WriteEndObject();
            json.WriteStartArray("spans");
            foreach (var span in scope) WriteSpan(json, span);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteSpan(Utf8JsonWriter json, Activity span)
    {
        json.WriteStartObject();
        json.WriteString("traceId", span.TraceId.ToHexString());
        json.WriteString("spanId", span.SpanId.ToHexString());
        if (!string.IsNullOrEmpty(span.TraceStateString)) json.WriteString("traceState", span.TraceStateString);
        if (span.ParentSpanId != default) json.WriteString("parentSpanId", span.ParentSpanId.ToHexString());
        json.WriteNumber("flags", (int)span.ActivityTraceFlags);
        json.WriteString("name", span.DisplayName);
        // OTLP's SpanKind counts from SPAN_KIND_UNSPECIFIED = 0; ActivityKind from Internal = 0.
        json.WriteNumber("kind", (int)span.Kind + 1);
        json.WriteString("startTimeUnixNano", UnixNanos(span.StartTimeUtc));
        json.WriteString("endTimeUnixNano", UnixNanos(span.StartTimeUtc + span.Duration));
        WriteAttributes(json, span.TagObjects);
        json.WriteStartArray("events");
        foreach (var e in span.Events)
        {
            json.WriteStartObject();
            json.WriteString("timeUnixNano", UnixNanos(e.Timestamp.UtcDateTime));
            json.WriteString("name", e.Name);
            WriteAttributes(json, e.Tags);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("links");
        foreach (var link in span.Links)
        {
            json.WriteStartObject();
            json.WriteString("traceId", link.Context.TraceId.ToHexString());
            json.WriteString("spanId", link.Context.SpanId.ToHexString());
            if (!string.IsNullOrEmpty(link.Context.TraceState)) json.WriteString("traceState", link.Context.TraceState);
            WriteAttributes(json, link.Tags ?? []);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("status");
        // ActivityStatusCode and OTLP's StatusCode agree: Unset 0, Ok 1, Error 2.
        if (span.Status != ActivityStatusCode.Unset) json.WriteNumber("code", (int)span.Status);
        if (!string.IsNullOrEmpty(span.StatusDescription)) json.WriteString("message", span.StatusDescription);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteAttributes(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, object?>> attributes)
    {
        json.WriteStartArray("attributes");
        foreach (var (key, value) in attributes)
        {
            if (value is null) continue;
            json.WriteStartObject();
            json.WriteString("key", key);
            json.WritePropertyName("value");
            WriteValue(json, value);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    // OTLP/JSON's AnyValue: 64-bit integers as decimal strings (the protobuf JSON mapping), doubles as numbers.
    private static void WriteValue(Utf8JsonWriter json, object value)
    {
        json.WriteStartObject();
        switch (value)
        {
            case string text:
                json.WriteString("stringValue", text);
                break;
            case bool flag:
                json.WriteBoolean("boolValue", flag);
                break;
            case sbyte or byte or short or ushort or int or uint or long:
                json.WriteString("intValue", Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                break;
            case float or double or decimal:
                var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (double.IsFinite(number)) json.WriteNumber("doubleValue", number);
                else json.WriteString("doubleValue", double.IsNaN(number) ? "NaN" : number > 0 ? "Infinity" : "-Infinity");
                break;
            case System.Collections.IEnumerable items:
                json.WriteStartObject("arrayValue");
                json.WriteStartArray("values");
                foreach (var item in items)
                {
                    if (item is not null) WriteValue(json, item);
                    else
                    {
                        json.WriteStartObject();
                        json.WriteEndObject();
                    }
                }
                json.WriteEndArray();
                json.WriteEndObject();
                break;
            default:
                json.WriteString("stringValue", Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
        json.WriteEndObject();
    }

    private static string UnixNanos(DateTime utc) =>
        ((utc.Ticks - DateTime.UnixEpoch.Ticks) * 100).ToString(CultureInfo.InvariantCulture);
}
