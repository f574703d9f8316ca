using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace CoS.Distributed.Silo.Storage;

/// <summary>Checks <see cref="StorageOptions"/> at start; every problem names the setting and the fix.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    private const string Section = StorageOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var problems = FindProblems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public static void ThrowIfInvalid(StorageOptions options)
    {
        var problems = FindProblems(options);
        if (problems.Count > 0)
            throw new OptionsValidationException(Options.DefaultName, typeof(StorageOptions), problems);
    }

    public static IReadOnlyList<string> FindProblems(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        switch (options.Kind)
        {
            case StorageKind.File:
                if (string.IsNullOrWhiteSpace(options.RootDirectory))
                    problems.Add($"{Section}:RootDirectory is empty: the File kind keeps checkpoints and grain state under it; set it to a writable folder such as ./.data.");
                break;
            case StorageKind.AzureBlob:
                AddAzureProblems(options, problems);
                break;
            default:
                problems.Add($"{Section}:Kind '{options.Kind}' is not a storage kind; use File or AzureBlob.");
                break;
        }
        if (options.KeepCheckpoints < 1)
            problems.Add($"{Section}:KeepCheckpoints is {options.KeepCheckpoints}: a cell needs at least its latest checkpoint to resume; set 1 or more (2 lets a damaged latest fall back).");
        AddRetryProblems(options.Retry, problems);
        return problems;
    }

    private static void AddAzureProblems(StorageOptions options, List<string> problems)
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        var hasAccountUrl = !string.IsNullOrWhiteSpace(options.AccountUrl);
        if (hasConnectionString == hasAccountUrl)
        {
            problems.Add(hasConnectionString
                ? $"{Section}:ConnectionString and {Section}:AccountUrl are both set: the AzureBlob kind takes one; keep ConnectionString for Azurite or an account key, AccountUrl for DefaultAzureCredential."
                : $"{Section}:ConnectionString and {Section}:AccountUrl are both empty: the AzureBlob kind needs one; set ConnectionString (Azurite, account key) or AccountUrl (https://<account>.blob.core.windows.net with DefaultAzureCredential).");
            return;
        }
        if (hasAccountUrl)
        {
            if (!Uri.TryCreate(options.AccountUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
                problems.Add($"{Section}:AccountUrl '{options.AccountUrl}' is not an absolute http(s) URL; use the account's blob endpoint, e.g. https://<account>.blob.core.windows.net.");
            return;
        }
        try
        {
            _ = new BlobServiceClient(options.ConnectionString);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            problems.Add($"{Section}:ConnectionString is not an Azure Storage connection string ({e.Message}); copy it from the account's access keys, or use the Azurite form with AccountName, AccountKey and BlobEndpoint.");
        }
    }

    private static void AddRetryProblems(StorageRetryOptions? retry, List<string> problems)
    {
        if (retry is null)
        {
            problems.Add($"{Section}:Retry is missing; remove the empty section to use the defaults.");
            return;
        }
        const string prefix = Section + ":Retry:";
        if (retry.MaxRetryAttempts < 0)
            problems.Add($"{prefix}MaxRetryAttempts is {retry.MaxRetryAttempts}; use 0 (no retries) or more.");
        if (retry.BaseDelay <= TimeSpan.Zero)
            problems.Add($"{prefix}BaseDelay is {retry.BaseDelay}; use a positive time such as 00:00:00.5.");
        if (retry.MaxDelay < retry.BaseDelay)
            problems.Add($"{prefix}MaxDelay ({retry.MaxDelay}) is shorter than BaseDelay ({retry.BaseDelay}); raise MaxDelay.");
        if (retry.RetryBudget < TimeSpan.Zero)
            problems.Add($"{prefix}RetryBudget is {retry.RetryBudget}; use zero (no retries) or a positive time such as 00:01:00.");
        if (retry.AttemptTimeout <= TimeSpan.Zero)
            problems.Add($"{prefix}AttemptTimeout is {retry.AttemptTimeout}; use a positive time such as 00:01:40.");
    }
}
