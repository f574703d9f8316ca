using System.Diagnostics;
using System.Net.Sockets;
using Azure;
using CoS.Distributed.Silo.Storage;
using CoS.Distributed.Training.Checkpoints;

namespace CoS.Distributed.Silo.Tests.Storage;

public sealed class StorageResilienceTests
{
    public static TheoryData<Exception, bool> Errors => new()
    {
        { new RequestFailedException(503, "Server busy"), true },
        { new RequestFailedException(500, "Internal error"), true },
        { new RequestFailedException(408, "Timeout"), true },
        { new RequestFailedException(429, "Too many requests"), true },
        { new RequestFailedException("Connection refused", new HttpRequestException("Connection refused", new SocketException(111))), true },
        { new HttpRequestException("Connection refused", new SocketException(111)), true },
        { new IOException("Connection reset by peer"), true },
        { new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout"), true },
        { new RequestFailedException(403, "AuthenticationFailed"), false },
        { new RequestFailedException(404, "BlobNotFound"), false },
        { new RequestFailedException(400, "InvalidHeaderValue"), false },
        { new RequestFailedException(501, "Not implemented"), false },
        { new FileNotFoundException("gone"), false },
        { new CheckpointException(CheckpointProblem.HashMismatch, "damaged"), false },
        { new StorageException("gave up", new IOException("x"), retriesExhausted: true), false },
        { new InvalidOperationException("a bug"), false },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Transient_errors_are_told_from_permanent_ones(Exception error, bool transient) =>
        Assert.Equal(transient, StorageResilience.IsTransient(error, CancellationToken.None));

    [Fact]
    public void A_cancellation_the_caller_asked_for_is_not_retried()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.False(StorageResilience.IsTransient(new OperationCanceledException(cancelled.Token), cancelled.Token));
    }

    [Fact]
    public async Task Transient_failures_are_retried_until_the_operation_succeeds()
    {
        var resilience = new StorageResilience(new StorageRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(20) });
        var calls = 0;

        var result = await resilience.ExecuteAsync("test read", _ =>
            ++calls < 4 ? throw new RequestFailedException(503, "busy") : Task.FromResult(42), CancellationToken.None);

        Assert.Equal((42, 4), (result, calls));
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried_and_passes_through()
    {
        var resilience = new StorageResilience(new StorageRetryOptions());
        var calls = 0;

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => resilience.ExecuteAsync<int>("test write", _ =>
        {
            calls++;
            throw new RequestFailedException(403, "AuthenticationFailed");
        }, CancellationToken.None));

        Assert.Equal((403, 1), (error.Status, calls));
    }

    [Fact]
    public async Task Retries_stop_at_the_attempt_limit_with_a_message_naming_the_settings()
    {
        var resilience = new StorageResilience(new StorageRetryOptions { MaxRetryAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(5) });
        var calls = 0;

        var error = await Assert.ThrowsAsync<StorageException>(() => resilience.ExecuteAsync<int>("test list", _ =>
        {
            calls++;
            throw new RequestFailedException(500, "down");
        }, CancellationToken.None));

        Assert.Equal(4, calls);
        Assert.True(error.RetriesExhausted);
        Assert.StartsWith("Storage test list gave up after 4 attempt(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxRetryAttempts (now 3)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_stop_once_the_budget_is_spent()
    {
        var resilience = new StorageResilience(new StorageRetryOptions
        {
            MaxRetryAttempts = 1000,
            BaseDelay = TimeSpan.FromMilliseconds(50),
            MaxDelay = TimeSpan.FromMilliseconds(50),
            RetryBudget = TimeSpan.FromMilliseconds(500),
        });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<StorageException>(() => resilience.ExecuteAsync<int>("test save", _ =>
            throw new IOException("Connection reset by peer"), CancellationToken.None));

        Assert.InRange(clock.Elapsed.TotalMilliseconds, 450, 3000);
        Assert.True(error.RetriesExhausted);
        Assert.IsType<IOException>(error.InnerException);
    }
}
