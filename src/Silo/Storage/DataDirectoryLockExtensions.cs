using Microsoft.Extensions.DependencyInjection;

namespace CoS.Distributed.Silo.Storage;

public static class DataDirectoryLockExtensions
{
    /// <summary>
    /// Makes the silo hold <paramref name="dataDirectory"/>'s <see cref="DataDirectoryLock"/> from the first stage of
    /// its start to the last of its stop, so that it refuses to start while another process uses the directory.
    /// </summary>
    public static ISiloBuilder AddDataDirectoryLock(this ISiloBuilder builder, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        // Made by the container, so disposed with it: a silo whose start fails later never reaches its stop stages.
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(_ => new DataDirectoryLockHolder(dataDirectory));
        return builder;
    }

    private sealed class DataDirectoryLockHolder(string dataDirectory) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
    {
        private DataDirectoryLock? _held;

        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(DataDirectoryLock), ServiceLifecycleStage.First, Start, Stop);

        private Task Start(CancellationToken cancellation)
        {
            _held = DataDirectoryLock.Take(dataDirectory, "give this silo another data directory (Cos:DataDirectory)");
            return Task.CompletedTask;
        }

        private Task Stop(CancellationToken cancellation)
        {
            Dispose();
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            _held?.Dispose();
            _held = null;
        }
    }
}
