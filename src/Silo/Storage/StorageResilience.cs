using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure;
using CoS.Distributed.Silo.Telemetry;
using CoS.Distributed.Training.Checkpoints;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace CoS.Distributed.Silo.Storage;

/// <summary>
/// The one retry policy of the storage code: exponential backoff with jitter on transient errors (no response,
/// 408, 429, 5xx, connection failures, request timeouts), none on permanent ones, within a time budget.
/// </summary>
public sealed class StorageResilience
{
    private static readonly ResiliencePropertyKey<long> StartedAt = new("cos.storage.started-at");
    private static readonly ResiliencePropertyKey<int> Attempts = new("cos.storage.attempts");

    private readonly ResiliencePipeline _pipeline;
    private readonly StorageRetryOptions _options;
    private readonly TimeProvider _time;

    public StorageResilience(StorageRetryOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time ?? TimeProvider.System;
        logger ??= NullLogger.Instance;
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && IsTransient(e, args.Context.CancellationToken) && WithinBudget(args.Context)),
                OnRetry = args =>
                {
                    args.Context.Properties.Set(Attempts, args.AttemptNumber + 2);
                    StorageLog.Retrying(logger, args.Context.OperationKey, Describe(args.Outcome.Exception),
                        args.AttemptNumber + 1, options.MaxRetryAttempts, args.RetryDelay.TotalSeconds);
                    SlotMetrics.StorageRetries.Add(1, new KeyValuePair<string, object?>("cos.storage.operation", args.Context.OperationKey));
                    Activity.Current?.AddEvent(new ActivityEvent("storage retry", tags: new ActivityTagsCollection
                    {
                        ["cos.storage.operation"] = args.Context.OperationKey,
                        ["cos.retry.attempt"] = args.AttemptNumber + 1,
                        ["cos.retry.delay_s"] = args.RetryDelay.TotalSeconds,
                        ["exception.message"] = args.Outcome.Exception?.Message,
                    }));
                    return default;
                },
            });
        }
        _pipeline = builder.Build();
    }

    public StorageRetryOptions Options => _options;

    /// <summary>
    /// Runs <paramref name="action"/> with retries. When transient failures outlast the budget it throws a
    /// <see cref="StorageException"/> with RetriesExhausted; permanent errors and cancellation pass through unchanged.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> action, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(action);
        var context = ResilienceContextPool.Shared.Get(operation, ct);
        context.Properties.Set(StartedAt, _time.GetTimestamp());
        context.Properties.Set(Attempts, 1);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (ctx, run) => await run(ctx.CancellationToken).ConfigureAwait(false), context, action);
        }
        catch (Exception e) when (IsTransient(e, ct))
        {
            var elapsed = _time.GetElapsedTime(context.Properties.GetValue(StartedAt, 0));
            var attempts = context.Properties.GetValue(Attempts, 1);
            throw new StorageException(
                $"Storage {operation} gave up after {attempts} attempt(s) over {elapsed.TotalSeconds:0.0} s: {Describe(e)}. " +
                $"Check that the storage service is reachable; to wait longer, raise {StorageOptions.SectionName}:Retry:RetryBudget " +
                $"(now {_options.RetryBudget.TotalSeconds:0} s) or MaxRetryAttempts (now {_options.MaxRetryAttempts}).",
                e, retriesExhausted: true);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public async Task ExecuteAsync(string operation, Func<CancellationToken, Task> action, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(action);
        await ExecuteAsync(operation, async token =>
        {
            await action(token).ConfigureAwait(false);
            return true;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// True for errors that may go away on their own. A cancellation counts only when <paramref name="ct"/>
    /// (the caller's token) did not ask for it: then it is a request that timed out.
    /// </summary>
    public static bool IsTransient(Exception exception, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            StorageException => false,
            OperationCanceledException => !ct.IsCancellationRequested,
            RequestFailedException { Status: 0 } => true,
            RequestFailedException failed => IsTransientStatus(failed.Status),
            HttpRequestException { StatusCode: { } status } => IsTransientStatus((int)status),
            HttpRequestException or SocketException or TimeoutException => true,
            FileNotFoundException or DirectoryNotFoundException or PathTooLongException or CheckpointException => false,
            IOException => true,
            AggregateException aggregate => aggregate.InnerExceptions.Count > 0
                && aggregate.InnerExceptions.All(inner => IsTransient(inner, ct)),
            _ => false,
        };
    }

    private static bool IsTransientStatus(int status) => status switch
    {
        (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests => true,
        (int)HttpStatusCode.NotImplemented or (int)HttpStatusCode.HttpVersionNotSupported => false,
        >= 500 and < 600 => true,
        _ => false,
    };

    private bool WithinBudget(ResilienceContext context) =>
        _time.GetElapsedTime(context.Properties.GetValue(StartedAt, 0)) < _options.RetryBudget;

    internal static string Describe(Exception? exception) => exception switch
    {
        null => "no error",
        RequestFailedException { Status: 0 } failed => failed.InnerException?.Message ?? FirstLine(failed.Message),
        RequestFailedException failed => $"HTTP {failed.Status} {failed.ErrorCode}".TrimEnd(),
        _ => $"{exception.GetType().Name}: {FirstLine(exception.Message)}",
    };

    internal static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
