namespace CoS.Distributed.Silo.Storage;

/// <summary>
/// A storage operation that failed for good: a permanent error (credentials, permissions, a bad name), or a
/// transient one that outlasted the retry budget (<see cref="RetriesExhausted"/>). The message says which and what to do.
/// </summary>
public sealed class StorageException : IOException
{
    public StorageException(string message, Exception? innerException, bool retriesExhausted)
        : base(message, innerException) => RetriesExhausted = retriesExhausted;

    public StorageException() : this("storage operation failed", null, retriesExhausted: false) { }

    public StorageException(string message) : this(message, null, retriesExhausted: false) { }

    public StorageException(string message, Exception innerException) : this(message, innerException, retriesExhausted: false) { }

    public bool RetriesExhausted { get; }
}
