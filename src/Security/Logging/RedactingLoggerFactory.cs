using System.Collections;
using CoS.Distributed.Security.Secrets;
using Microsoft.Extensions.Logging;

namespace CoS.Distributed.Security.Logging;

/// <summary>
/// Wraps the logger factory, so that every logger it makes redacts secrets (<see cref="SecretRedactor"/>) before any
/// provider sees an entry: the message, every structured value, the exception's text and scope values. Wrapping the
/// factory rather than each provider covers providers added in any order, Orleans' and the Azure SDK's loggers included.
/// </summary>
public sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull =>
            inner.BeginScope(RedactedState.Of(state, state.ToString()));

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (!inner.IsEnabled(logLevel)) return;
            var redacted = RedactedState.Of(state, formatter(state, exception));
            inner.Log(logLevel, eventId, redacted, exception is null ? null : new RedactedException(exception), static (s, _) => s.ToString());
        }
    }

    /// <summary>An entry's state with its secrets removed: the message, and each key/value for structured providers.</summary>
    private sealed class RedactedState : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly string message;
        private readonly List<KeyValuePair<string, object?>> values;

        private RedactedState(string message, List<KeyValuePair<string, object?>> values)
        {
            this.message = message;
            this.values = values;
        }

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public static RedactedState Of<TState>(TState state, string? message)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => new KeyValuePair<string, object?>(p.Key, Value(p.Value))).ToList()
                : [];
            return new RedactedState(SecretRedactor.Redact(message) ?? "", values);
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;

        // Numbers, flags, times and ids carry no secrets and keep their type for structured providers.
        private static object? Value(object? value) => value switch
        {
            null => null,
            string text => SecretRedactor.Redact(text),
            bool or char or Enum or Guid or DateTime or DateTimeOffset or TimeSpan => value,
            _ when value.GetType().IsPrimitive || value is decimal => value,
            _ => SecretRedactor.Redact(value.ToString()),
        };
    }
}

/// <summary>
/// Stands in for a logged exception: the same type name, message and stack as the original's text, without its
/// secrets. The original is not reachable from it, so no provider can print it.
/// </summary>
public sealed class RedactedException : Exception
{
    private readonly string text;
    private readonly string? stackTrace;

    public RedactedException(Exception original)
        : base(SecretRedactor.Redact(original?.Message))
    {
        ArgumentNullException.ThrowIfNull(original);
        text = SecretRedactor.Redact(original.ToString()) ?? "";
        stackTrace = SecretRedactor.Redact(original.StackTrace);
        OriginalType = original.GetType().FullName ?? original.GetType().Name;
        HResult = original.HResult;
    }

    public RedactedException()
        : this(new InvalidOperationException())
    {
    }

    public RedactedException(string message)
        : this(new InvalidOperationException(message))
    {
    }

    public RedactedException(string message, Exception innerException)
        : this(new InvalidOperationException(message, innerException))
    {
    }

    /// <summary>The full name of the exception's type as it was thrown.</summary>
    public string OriginalType { get; }

    public override string? StackTrace => stackTrace;

    public override string ToString() => text;
}
