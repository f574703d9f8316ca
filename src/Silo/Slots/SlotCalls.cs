using Polly;
using Polly.Retry;

namespace CoS.Distributed.Silo.Slots;

/// <summary>
/// How a slot calls grains. Every call a slot makes is idempotent (a lease by its request id, an attempt by its lease,
/// an epoch by its number, an end by its attempt), so any failure but cancellation is retried with backoff: a silo
/// being declared dead, a lost reply, a storage write that failed.
/// </summary>
internal static class SlotCalls
{
    private static readonly ResiliencePipeline Retries = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not (OperationCanceledException or OutOfMemoryException)),
            MaxRetryAttempts = 8,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(5),
        })
        .Build();

    /// <summary>Calls and waits, on the slot's own thread.</summary>
    public static T Call<T>(Func<Task<T>> call, CancellationToken cancellation) =>
        Retries.ExecuteAsync(async _ => await call(), cancellation).AsTask().GetAwaiter().GetResult();

    public static async Task<T> CallAsync<T>(Func<Task<T>> call) =>
        await Retries.ExecuteAsync(async _ => await call(), CancellationToken.None);

    public static async Task CallAsync(Func<Task> call) =>
        await Retries.ExecuteAsync(async _ => await call(), CancellationToken.None);
}
