using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace CoS.Distributed.Silo.Storage;

public static class StorageServiceExtensions
{
    /// <summary>
    /// Registers <see cref="ICheckpointStore"/>, <see cref="CheckpointRetention"/> and <see cref="CheckpointLoader"/>
    /// from <see cref="StorageOptions"/> (bind them first, e.g. AddOptions&lt;StorageOptions&gt;().BindConfiguration("Storage")),
    /// validated when the host starts.
    /// </summary>
    public static IServiceCollection AddCheckpointStorage(this IServiceCollection services, Action<StorageOptions>? configure = null)
    {
        var options = services.AddOptions<StorageOptions>();
        if (configure is not null)
            options.Configure(configure);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(sp => CheckpointStores.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton(sp => new CheckpointRetention(
            sp.GetRequiredService<ICheckpointStore>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.KeepCheckpoints,
            sp.GetService<ILoggerFactory>()?.CreateLogger<CheckpointRetention>()));
        services.TryAddSingleton(sp => new CheckpointLoader(
            sp.GetRequiredService<ICheckpointStore>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<CheckpointLoader>()));
        return services;
    }

    /// <summary>
    /// Adds the grain storage provider <paramref name="name"/> that <paramref name="storage"/> describes: JSON
    /// files under RootDirectory/grains, or Orleans' Azure Blob grain storage with the SDK retrying within the
    /// same budget as <see cref="StorageResilience"/>.
    /// </summary>
    public static ISiloBuilder AddGrainStorage(this ISiloBuilder builder, string name, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(builder);
        StorageOptionsValidator.ThrowIfInvalid(storage);
        return storage.Kind == StorageKind.File
            ? builder.AddFileGrainStorage(name, o => o.RootDirectory = storage.GrainDirectory)
            : builder.AddAzureBlobGrainStorage(name, o => o.BlobServiceClient = BlobStorageClients.WithSdkRetries(storage));
    }
}
