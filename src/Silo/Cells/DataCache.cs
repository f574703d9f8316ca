using System.Collections.Concurrent;
using System.Text.Json;
using CoS.Distributed.Training.Data;

namespace CoS.Distributed.Silo.Cells;

/// <summary>
/// Data sets loaded once per silo and shared read-only by its slots: a sweep's cells mostly use the same data.
/// </summary>
public sealed class DataCache : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<DataSplit>> loaded = new();

    public DataSplit Get(DatasetOptions options) =>
        loaded.GetOrAdd(JsonSerializer.Serialize(options), _ => new Lazy<DataSplit>(() => DatasetCatalog.Load(options))).Value;

    public void Dispose()
    {
        foreach (var entry in loaded.Values.Where(l => l.IsValueCreated)) entry.Value.Dispose();
        loaded.Clear();
    }
}
