using System.Collections.Concurrent;
using CoS.Distributed.Security.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoS.Distributed.Silo.Tests.Security;

/// <summary>Secrets logged through the real Microsoft.Extensions.Logging pipeline reach no provider.</summary>
public sealed partial class RedactingLoggingTests
{
    private const string Key = "c2VjcmV0LWFjY291bnQta2V5LXRoYXQtbXVzdC1uZXZlci1iZS1sb2dnZWQ=";
    private const string Signature = "c2lnbmF0dXJlLXRoYXQtbXVzdC1iZS1oaWRkZW4%3D";
    private const string ConnectionString = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + Key;
    private const string SasUrl = "https://acct.blob.core.windows.net/c/b?sv=2024-11-04&se=2027-01-01&sp=r&sig=" + Signature;

    [Fact]
    public void MessagesValuesExceptionsAndScopesReachProvidersRedacted()
    {
        var early = new CapturingProvider();
        var late = new CapturingProvider();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(early);
        builder.Services.AddSecretRedaction();
        // A provider added after redaction is set up is covered too.
        builder.Logging.AddProvider(late);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILogger<RedactingLoggingTests>>();

#pragma warning disable CA1848, CA2254 // the extension methods and an interpolated message are what careless callers write
        using (logger.BeginScope("storage {ConnectionString}", ConnectionString))
        {
            LogConnecting(logger, ConnectionString, SasUrl);
            logger.LogError(new InvalidOperationException($"the request to {SasUrl} failed", new ArgumentException(ConnectionString)), "storage failed");
            logger.LogWarning($"interpolated {ConnectionString}");
        }
#pragma warning restore CA1848, CA2254

        foreach (var provider in new[] { early, late })
        {
            Assert.Equal(3, provider.Entries.Count);
            var everything = string.Join("\n", provider.Entries);
            Assert.DoesNotContain(Key, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(Signature, everything, StringComparison.Ordinal);
            Assert.Contains("connecting to DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=[redacted] and " +
                "https://acct.blob.core.windows.net/c/b?sv=2024-11-04&se=2027-01-01&sp=r&sig=[redacted]", everything, StringComparison.Ordinal);
            Assert.Contains("System.InvalidOperationException: the request to https://acct.blob.core.windows.net/c/b?sv=2024-11-04&se=2027-01-01&sp=r&sig=[redacted] failed", everything, StringComparison.Ordinal);
            Assert.Contains("interpolated DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=[redacted]", everything, StringComparison.Ordinal);
            Assert.Contains("scope storage DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=[redacted]", everything, StringComparison.Ordinal);
            Assert.Contains("value Account=DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=[redacted]", everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FiltersStillDecideWhatIsLogged()
    {
        var provider = new CapturingProvider();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(provider);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSecretRedaction();
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CoS.Test");

        LogConnecting(logger, ConnectionString, SasUrl);
        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.Empty(provider.Entries);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "connecting to {Account} and {Url}")]
    private static partial void LogConnecting(ILogger logger, string account, string url);

    /// <summary>Writes down everything a provider can see of an entry: message, every value, exception text, scopes.</summary>
    private sealed class CapturingProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider? scopes;

        public ConcurrentQueue<string> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Capturing(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Capturing(CapturingProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => provider.scopes?.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var text = new List<string> { formatter(state, exception) };
                if (state is IEnumerable<KeyValuePair<string, object?>> values) text.AddRange(values.Select(v => $"value {v.Key}={v.Value}"));
                if (exception is not null) text.Add(exception.ToString());
                provider.scopes?.ForEachScope((scope, list) => list.Add($"scope {scope}"), text);
                provider.Entries.Enqueue(string.Join(" | ", text));
            }
        }
    }
}
