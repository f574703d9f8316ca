using System.Text;
using CoS.Distributed.Security.Secrets;

namespace CoS.Distributed.Security.Logging;

/// <summary>
/// A writer that passes text on a line at a time with its secrets redacted, so that whatever a command prints (its own
/// messages, an exception's) cannot show a key. A partial line goes out on <see cref="Flush"/>.
/// </summary>
public sealed class RedactingTextWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder line = new();

    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    public override void Write(char value)
    {
        lock (line)
        {
            line.Append(value);
            if (value == '\n') EmitLine();
        }
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        lock (line)
        {
            var start = 0;
            for (var end = value.IndexOf('\n', StringComparison.Ordinal); end >= 0; end = value.IndexOf('\n', start))
            {
                line.Append(value, start, end + 1 - start);
                EmitLine();
                start = end + 1;
            }
            line.Append(value, start, value.Length - start);
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write((value ?? "") + NewLine);

    public override void Flush()
    {
        lock (line)
        {
            if (line.Length > 0) inner.Write(SecretRedactor.Redact(TakeLine()));
            inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Flush();
        base.Dispose(disposing);
    }

    // Called with the lock held, once the buffer ends with a new line.
    private void EmitLine() => inner.Write(SecretRedactor.Redact(TakeLine()));

    private string TakeLine()
    {
        var text = line.ToString();
        line.Clear();
        return text;
    }
}
