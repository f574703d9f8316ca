using CoS.Distributed.Client.Commands;
using CoS.Distributed.Client.Connections;
using CoS.Distributed.Security.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoS.Distributed.Client.Tests.Connections;

/// <summary>What the `cos` tool prints and logs shows no secret, whoever wrote it.</summary>
public sealed class RedactedOutputTests : IDisposable
{
    private const string Key = "c2VjcmV0LWFjY291bnQta2V5LXRoYXQtbXVzdC1uZXZlci1iZS1zaG93bg==";
    private const string Sas = "https://acct.blob.core.windows.net/c?sv=2024-11-04&se=2030-01-01&sp=r&sig=c2lnbmF0dXJl%3D";

    private readonly string folder = Directory.CreateTempSubdirectory("cos-logs-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void EverythingWrittenToTheErrorWriterIsRedactedLineByLine()
    {
        using var error = new StringWriter();
        var context = new CliContext(TextWriter.Null, error, interactive: false);

        context.Error.Write("storage AccountKey=");
        context.Error.Write(Key);
        context.Error.WriteLine(" failed");
        context.Error.WriteLine($"GET {Sas}");
        context.Error.Write($"partial AccountKey={Key}");
        context.Error.Flush();

        Assert.Equal($"storage AccountKey=[redacted] failed{Environment.NewLine}GET https://acct.blob.core.windows.net/c?sv=2024-11-04&se=2030-01-01&sp=r&sig=[redacted]{Environment.NewLine}partial AccountKey=[redacted]", error.ToString());
    }

    [Fact]
    public void TheEmbeddedSilosFileLogIsRedactedThroughTheLoggingPipeline()
    {
        var path = Path.Combine(folder, "cos.log");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new FileLoggerProvider(path));
        builder.Services.AddSecretRedaction();
        using (var host = builder.Build())
        {
            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CoS.Test");
#pragma warning disable CA1848 // the extension methods are what a careless caller writes
            logger.LogWarning("connecting with {ConnectionString}", $"AccountName=a;AccountKey={Key}");
            logger.LogError(new InvalidOperationException($"blob {Sas} failed"), "checkpoint failed");
#pragma warning restore CA1848
        }

        var log = File.ReadAllText(path);
        Assert.Contains("connecting with AccountName=a;AccountKey=[redacted]", log, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: blob https://acct.blob.core.windows.net/c?sv=2024-11-04&se=2030-01-01&sp=r&sig=[redacted] failed", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, log, StringComparison.Ordinal);
        Assert.DoesNotContain("c2lnbmF0dXJl", log, StringComparison.Ordinal);
    }
}
