using Microsoft.Extensions.Logging;

namespace CoS.Distributed.Silo.Storage;

public static class CheckpointStores
{
    /// <summary>
    /// The checkpoint store <paramref name="options"/> describe: files under RootDirectory/checkpoints, or Blob
    /// storage. Throws OptionsValidationException listing every problem when the options are invalid.
    /// </summary>
    public static ICheckpointStore Create(StorageOptions options, ILoggerFactory? loggers = null)
    {
        StorageOptionsValidator.ThrowIfInvalid(options);
        return options.Kind == StorageKind.File
            ? new FileCheckpointStore(options.CheckpointDirectory)
            : BlobCheckpointStore.Create(options, loggers?.CreateLogger<BlobCheckpointStore>());
    }
}
