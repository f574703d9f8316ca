using CoS.Distributed.Silo.Storage;
using Microsoft.Extensions.Options;

namespace CoS.Distributed.Silo.Tests.Storage;

public sealed class StorageOptionsTests
{
    private const string AzuriteStyle =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

    [Fact]
    public void The_defaults_with_a_data_directory_are_valid_and_ride_out_a_minute()
    {
        var options = new StorageOptions { RootDirectory = "/var/lib/cos" };

        Assert.Empty(StorageOptionsValidator.FindProblems(options));
        Assert.Equal(TimeSpan.FromSeconds(60), options.Retry.RetryBudget);
        Assert.Equal(Path.Combine("/var/lib/cos", "checkpoints"), options.CheckpointDirectory);
        Assert.Equal(Path.Combine("/var/lib/cos", "grains"), options.GrainDirectory);
    }

    [Theory]
    [InlineData(AzuriteStyle, null)]
    [InlineData(null, "https://cosdata.blob.core.windows.net")]
    public void Blob_storage_takes_a_connection_string_or_an_account_url(string? connectionString, string? accountUrl)
    {
        var options = new StorageOptions { Kind = StorageKind.AzureBlob, ConnectionString = connectionString, AccountUrl = accountUrl };

        Assert.Empty(StorageOptionsValidator.FindProblems(options));
        Assert.NotNull(BlobStorageClients.ForResilience(options));
        Assert.NotNull(BlobStorageClients.WithSdkRetries(options));
    }

    [Fact]
    public void File_storage_without_a_root_names_the_setting_and_the_fix()
    {
        var problem = Assert.Single(StorageOptionsValidator.FindProblems(new StorageOptions()));

        Assert.StartsWith("Storage:RootDirectory is empty", problem, StringComparison.Ordinal);
        Assert.Contains("set it to a writable folder", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "are both empty")]
    [InlineData(AzuriteStyle, "https://cosdata.blob.core.windows.net", "are both set")]
    [InlineData(null, "cosdata.blob.core.windows.net", "Storage:AccountUrl 'cosdata.blob.core.windows.net' is not an absolute http(s) URL")]
    [InlineData("this is not a connection string", null, "Storage:ConnectionString is not an Azure Storage connection string")]
    public void Blob_storage_credentials_are_checked(string? connectionString, string? accountUrl, string expected)
    {
        var options = new StorageOptions { Kind = StorageKind.AzureBlob, ConnectionString = connectionString, AccountUrl = accountUrl };

        Assert.Contains(StorageOptionsValidator.FindProblems(options), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new StorageOptions
        {
            KeepCheckpoints = 0,
            Retry = new StorageRetryOptions
            {
                MaxRetryAttempts = -1,
                BaseDelay = TimeSpan.Zero,
                MaxDelay = TimeSpan.FromSeconds(-1),
                RetryBudget = TimeSpan.FromSeconds(-5),
                AttemptTimeout = TimeSpan.Zero,
            },
        };

        var problems = StorageOptionsValidator.FindProblems(options);

        Assert.Equal(
            ["Storage:RootDirectory", "Storage:KeepCheckpoints", "Storage:Retry:MaxRetryAttempts", "Storage:Retry:BaseDelay",
             "Storage:Retry:MaxDelay", "Storage:Retry:RetryBudget", "Storage:Retry:AttemptTimeout"],
            problems.Select(p => p[..p.IndexOf(' ', StringComparison.Ordinal)]));
        var thrown = Assert.Throws<OptionsValidationException>(() => CheckpointStores.Create(options));
        Assert.Equal(problems, thrown.Failures);
    }

    [Fact]
    public void The_file_kind_builds_a_file_store_under_the_data_directory()
    {
        var store = Assert.IsType<FileCheckpointStore>(CheckpointStores.Create(new StorageOptions { RootDirectory = "/tmp/cos-data" }));

        Assert.Equal("/tmp/cos-data/checkpoints", store.Root);
    }
}
