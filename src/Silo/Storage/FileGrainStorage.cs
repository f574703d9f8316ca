using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace CoS.Distributed.Silo.Storage;

/// <summary>
/// Orleans grain storage in JSON files, for the embedded mode: &lt;root&gt;/&lt;state name&gt;/&lt;grain id&gt;.json
/// holding {"grainId", "stateName", "etag", "state"}. Writes go to a temp file that is flushed and renamed over
/// the old one, so a crash leaves the previous state or the new one, never a mix. Every write gets a fresh
/// ETag; a write or clear whose ETag is not the stored one throws <see cref="InconsistentStateException"/>.
/// </summary>
public sealed class FileGrainStorage : IGrainStorage
{
    private const string GrainIdProperty = "grainId";
    private const string StateNameProperty = "stateName";
    private const string ETagProperty = "etag";
    private const string StateProperty = "state";

    private readonly string _name;
    private readonly string _root;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activators;
    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public FileGrainStorage(string name, FileGrainStorageOptions options, IGrainStorageSerializer serializer, IActivatorProvider activators)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(activators);
        if (string.IsNullOrWhiteSpace(options.RootDirectory))
            throw new OptionsValidationException(name, typeof(FileGrainStorageOptions),
                [$"File grain storage '{name}' has no RootDirectory; set it in AddFileGrainStorage(\"{name}\", o => o.RootDirectory = ...), e.g. to <data directory>/grains."]);
        _name = name;
        _root = Path.GetFullPath(options.RootDirectory);
        _serializer = options.GrainStorageSerializer ?? serializer;
        _activators = activators;
    }

    internal static FileGrainStorage Create(IServiceProvider services, string name) => new(
        name,
        services.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(name),
        services.GetRequiredService<IGrainStorageSerializer>(),
        services.GetRequiredService<IActivatorProvider>());

    /// <summary>The file that holds a grain's state.</summary>
    public string PathOf(string stateName, GrainId grainId) =>
        Path.Combine(_root, StorageNames.Segment(stateName), StorageNames.Segment(grainId.ToString()) + ".json");

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = PathOf(stateName, grainId);
        var gate = GateFor(path);
        await gate.WaitAsync();
        try
        {
            var stored = await ReadFileAsync(path, stateName, grainId);
            if (stored is null)
            {
                grainState.State = _activators.GetActivator<T>().Create();
                grainState.ETag = null;
                grainState.RecordExists = false;
                return;
            }
            T? state;
            try
            {
                state = _serializer.Deserialize<T>(new BinaryData(stored.State));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw Damaged(path, stateName, grainId, $"its state does not deserialize as {typeof(T).Name} ({e.Message})", e);
            }
            grainState.State = state ?? _activators.GetActivator<T>().Create();
            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = PathOf(stateName, grainId);
        var gate = GateFor(path);
        await gate.WaitAsync();
        try
        {
            var stored = await ReadFileAsync(path, stateName, grainId);
            CheckETag("write", path, stored?.ETag, grainState.ETag);
            var etag = Guid.NewGuid().ToString("N");
            var content = Envelope(path, stateName, grainId, etag, _serializer.Serialize(grainState.State));
            await WriteAtomicallyAsync(path, content);
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = PathOf(stateName, grainId);
        var gate = GateFor(path);
        await gate.WaitAsync();
        try
        {
            var stored = await ReadFileAsync(path, stateName, grainId);
            CheckETag("clear", path, stored?.ETag, grainState.ETag);
            if (stored is not null)
                File.Delete(path);
            grainState.State = _activators.GetActivator<T>().Create();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        finally
        {
            gate.Release();
        }
    }

    private sealed record StoredState(string ETag, byte[] State);

    /// <summary>The stored ETag and state JSON, or null when the grain has no file.</summary>
    private static async Task<StoredState?> ReadFileAsync(string path, string stateName, GrainId grainId)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Damaged(path, stateName, grainId, "it is not a JSON object", null);
            var storedId = StringProperty(root, GrainIdProperty, path, stateName, grainId);
            if (storedId != grainId.ToString())
                throw Damaged(path, stateName, grainId, $"it belongs to grain {storedId}", null);
            var etag = StringProperty(root, ETagProperty, path, stateName, grainId);
            if (!root.TryGetProperty(StateProperty, out var state))
                throw Damaged(path, stateName, grainId, $"it has no \"{StateProperty}\"", null);
            return new StoredState(etag, Encoding.UTF8.GetBytes(state.GetRawText()));
        }
        catch (JsonException e)
        {
            throw Damaged(path, stateName, grainId, $"it is not valid JSON ({e.Message})", e);
        }
    }

    private static string StringProperty(JsonElement root, string property, string path, string stateName, GrainId grainId) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Damaged(path, stateName, grainId, $"it has no \"{property}\" string", null);

    private byte[] Envelope(string path, string stateName, GrainId grainId, string etag, BinaryData state)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString(GrainIdProperty, grainId.ToString());
            writer.WriteString(StateNameProperty, stateName);
            writer.WriteString(ETagProperty, etag);
            writer.WritePropertyName(StateProperty);
            try
            {
                writer.WriteRawValue(state.ToMemory().Span);
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException(
                    $"File grain storage '{_name}' keeps JSON files, but its serializer {_serializer.GetType().Name} wrote something else " +
                    $"for {path}; configure a JSON IGrainStorageSerializer (the Orleans default is one).", e);
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static async Task WriteAtomicallyAsync(string path, byte[] content)
    {
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await stream.WriteAsync(content);
                await stream.FlushAsync();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private void CheckETag(string operation, string path, string? stored, string? expected)
    {
        if (stored == expected)
            return;
        throw new InconsistentStateException(
            $"File grain storage '{_name}' refused to {operation} {path}: the grain's ETag {expected ?? "(none)"} is not the stored " +
            $"{stored ?? "(no file)"}, so another activation changed it since this one read it.",
            stored ?? "(no file)", expected ?? "(none)");
    }

    private static InvalidDataException Damaged(string path, string stateName, GrainId grainId, string problem, Exception? inner) =>
        new($"Grain state file {path} (grain {grainId}, state '{stateName}') is damaged: {problem}. " +
            "Restore it from a backup, or delete it to start this grain from empty state.", inner);

    private SemaphoreSlim GateFor(string path) =>
        _locks[(StringComparer.Ordinal.GetHashCode(path) & int.MaxValue) % _locks.Length];
}
