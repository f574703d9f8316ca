using CoS.Distributed.Silo.Hosting;
using CoS.Distributed.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CoS.Distributed.Silo.Tests.Hosting;

/// <summary>The storage connection string and the TLS settings: from the environment or files, checked at start.</summary>
public sealed class CosSiloOptionsSecretsTests : IDisposable
{
    private const string Key = "c2VjcmV0LWFjY291bnQta2V5LXRoYXQtbXVzdC1uZXZlci1iZS1sb2dnZWQ=";
    private const string ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + Key +
        ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    private readonly TestCertificates files = new();

    public void Dispose() => files.Dispose();

    private static CosSiloOptions Options(params (string Key, string? Value)[] settings) =>
        CosSiloOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection([new("Cos:Mode", "Cluster"), .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))])
            .Build());

    [Fact]
    public void TheConnectionStringIsReadFromItsFile()
    {
        var options = Options(("Cos:StorageConnectionStringFile", files.WriteSecret("storage", ConnectionString)));

        Assert.Empty(options.Validate());
        Assert.Equal(ConnectionString, options.StorageConnection());
        Assert.Equal(ConnectionString, options.ToStorageOptions().ConnectionString);
    }

    [Fact]
    public void TheStandardAzureVariableIsTheFallbackWhenNoStorageSettingIsGiven()
    {
        var options = Options(("AZURE_STORAGE_CONNECTION_STRING", ConnectionString));
        Assert.Empty(options.Validate());
        Assert.Equal(ConnectionString, options.StorageConnection());

        var named = Options(("AZURE_STORAGE_CONNECTION_STRING", ConnectionString), ("Cos:StorageAccountName", "cosaccount"));
        Assert.Empty(named.Validate());
        Assert.Null(named.StorageConnection());
    }

    [Fact]
    public void TheCosVariableOfTheEnvironmentIsRead()
    {
        const string Variable = "Cos__StorageConnectionString";
        Environment.SetEnvironmentVariable(Variable, ConnectionString);
        try
        {
            var options = CosSiloOptions.From(Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = ["--Cos:Mode=Cluster"] }).Configuration);
            Assert.Equal(ConnectionString, options.StorageConnection());
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }
    }

    [Fact]
    public void AValueAndAFileTogetherAreAConflict()
    {
        var options = Options(("Cos:StorageConnectionString", ConnectionString), ("Cos:StorageConnectionStringFile", files.WriteSecret("storage", ConnectionString)));

        var problem = Assert.Single(options.Validate());

        Assert.StartsWith("Cos:StorageConnectionString and Cos:StorageConnectionStringFile are both given: give one", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing", "does not exist")]
    [InlineData("empty", "is empty; write the secret into it")]
    [InlineData("folder", "is a folder")]
    public void AnUnusableFileIsNamed(string kind, string expected)
    {
        var path = kind switch
        {
            "missing" => Path.Combine(files.Folder, "no-such-file"),
            "empty" => files.WriteSecret("empty", "  "),
            _ => files.Folder,
        };

        var problem = Assert.Single(Options(("Cos:StorageConnectionStringFile", path)).Validate());

        Assert.StartsWith($"Cos:StorageConnectionStringFile: ", problem, StringComparison.Ordinal);
        Assert.Contains($"'{path}'", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AMalformedConnectionStringIsRefusedWithoutShowingItsKey()
    {
        var problems = Options(("Cos:StorageConnectionString", "AccountKey=" + Key + ";Colour=blue")).Validate();

        var problem = Assert.Single(problems);
        Assert.StartsWith("the storage connection string is not usable", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAccountNameAndAConnectionStringTogetherAreAConflict()
    {
        var problem = Assert.Single(Options(("Cos:StorageConnectionString", ConnectionString), ("Cos:StorageAccountName", "cosaccount")).Validate());
        Assert.StartsWith("Cos:StorageAccountName and a connection string are both given: give one", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidTlsSettingsStopTheSiloAtStartWithEveryProblem()
    {
        var options = Options(
            ("Cos:StorageConnectionString", ConnectionString),
            ("Cos:SiloPort", "0"),
            ("Cos:Tls:CertificatePath", "/nonexistent/silo.pfx"),
            ("Cos:Tls:PasswordFile", "/nonexistent/password"));

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        var error = Assert.Throws<OptionsValidationException>(() => builder.UseOrleans(silo => silo.AddCos(options)));

        Assert.Contains("Cos:SiloPort is 0: give a TCP port 1-65535", error.Failures);
        Assert.Contains(error.Failures, f => f.StartsWith("Cos:Tls:PasswordFile: the file '/nonexistent/password' does not exist", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Cos:Tls:CaPath and Cos:Tls:AllowedThumbprints are both missing", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Cos:Tls:CertificatePath: the file '/nonexistent/silo.pfx' does not exist", StringComparison.Ordinal));
        Assert.Equal(4, error.Failures.Count());
    }
}
