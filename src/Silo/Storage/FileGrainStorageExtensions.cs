using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime.Hosting;

namespace CoS.Distributed.Silo.Storage;

public static class FileGrainStorageExtensions
{
    /// <summary>Adds a <see cref="FileGrainStorage"/> provider named <paramref name="name"/>.</summary>
    public static ISiloBuilder AddFileGrainStorage(this ISiloBuilder builder, string name, Action<FileGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddFileGrainStorage(name, configure);
        return builder;
    }

    /// <summary>Adds a <see cref="FileGrainStorage"/> provider used by grains that name no provider.</summary>
    public static ISiloBuilder AddFileGrainStorageAsDefault(this ISiloBuilder builder, Action<FileGrainStorageOptions> configure) =>
        builder.AddFileGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    public static IServiceCollection AddFileGrainStorage(this IServiceCollection services, string name, Action<FileGrainStorageOptions> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<FileGrainStorageOptions>(name).Configure(configure);
        return services.AddGrainStorage(name, FileGrainStorage.Create);
    }
}
