using System.Collections.Concurrent;
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
/// holding {"grainId", "stateName", "etag", "state"}. Every write gets a fresh ETag; a write or clear whose ETag is
/// not the stored one throws <see cref="InconsistentStateException"/>.
/// <para>
/// Safe for any number of storage instances and processes on one directory. A write or clear takes the grain's
/// lock (<see cref="GrainFileLock"/>: this process's gate, then an flock on the hidden ".&lt;grain id&gt;.json.lock"
/// beside the state file, never deleted, so every writer locks the same file), then compares the ETag, writes
/// ".&lt;grain id&gt;.json.tmp", flushes it to disk, renames it over the state file and fsyncs the folder, and only
/// then lets go. So of writers holding one ETag exactly one wins wherever they run, and a crash leaves the previous
/// state or the new one, never a mix, and never undoes a rename that was reported done. Reads take no lock: a
/// rename swaps whole files.
/// </para>
/// <para>
/// A temp file exists only while its writer holds the grain's lock, so one found by whoever holds that lock was left
/// by a writer that crashed. A writer overwrites its own grain's; and the first write or clear of an instance in a
/// folder removes every temp file there whose grain lock it can take at once (also the previous version's
/// ".&lt;grain id&gt;.json.&lt;guid&gt;.tmp"), leaving those of live writers.
/// </para>
/// </summary>
public sealed class FileGrainStorage : IGrainStorage
{
    private const string GrainIdProperty = "grainId";
    private const string StateNameProperty = "stateName";
    private const string ETagProperty = "etag";
    private const string StateProperty = "state";
    private const string TempSuffix = ".tmp";
    private const string LockSuffix = ".lock";
    private const string FileExtension = ".json";
    private const int PreviousTempIdLength = 32;
    private static readonly TimeSpan LockPatience = TimeSpan.FromSeconds(30);

    private readonly string _name;
    private readonly string _root;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activators;
    private readonly ConcurrentDictionary<string, Lazy<bool>> _preparedFolders = new(StringComparer.Ordinal);

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
        Path.Combine(_root, StorageNames.Segment(stateName), StorageNames.Segment(grainId.ToString()) + FileExtension);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = PathOf(stateName, grainId);
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

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = PathOf(stateName, grainId);
        var etag = Guid.NewGuid().ToString("N");
        var content = Envelope(path, stateName, grainId, etag, _serializer.Serialize(grainState.State));
        PrepareFolder(Path.GetDirectoryName(path)!);
        using (await GrainFileLock.TakeAsync(LockPathOf(path), LockPatience))
        {
            var stored = await ReadFileAsync(path, stateName, grainId);
            CheckETag("write", path, stored?.ETag, grainState.ETag);
            await ReplaceAsync(path, content);
        }
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = PathOf(stateName, grainId);
        var folder = Path.GetDirectoryName(path)!;
        PrepareFolder(folder);
        using (await GrainFileLock.TakeAsync(LockPathOf(path), LockPatience))
        {
            var stored = await ReadFileAsync(path, stateName, grainId);
            CheckETag("clear", path, stored?.ETag, grainState.ETag);
            File.Delete(TempPathOf(path));
            if (stored is not null)
            {
                File.Delete(path);
                PosixFiles.SyncDirectory(folder);
            }
        }
        grainState.State = _activators.GetActivator<T>().Create();
        grainState.ETag = null;
        grainState.RecordExists = false;
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

    /// <summary>Writes the temp file, flushes it to disk, renames it over the state file and makes the rename durable.</summary>
    private static async Task ReplaceAsync(string path, byte[] content)
    {
        var temp = TempPathOf(path);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await stream.WriteAsync(content);
                await stream.FlushAsync();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            DeleteIfPossible(temp);
            throw;
        }
        PosixFiles.SyncDirectory(Path.GetDirectoryName(path)!);
    }

    /// <summary>Once per instance and folder: creates it durably and removes temp files whose writers are gone.</summary>
    private void PrepareFolder(string folder)
    {
        var prepared = _preparedFolders.GetOrAdd(folder, f => new Lazy<bool>(() =>
        {
            CreateDurably(f);
            RemoveAbandonedTempFiles(f);
            return true;
        }));
        try
        {
            _ = prepared.Value;
        }
        catch
        {
            _preparedFolders.TryRemove(new KeyValuePair<string, Lazy<bool>>(folder, prepared));
            throw;
        }
    }

    private static void CreateDurably(string folder)
    {
        var missing = new List<string>();
        for (var ancestor = folder; ancestor is not null && !Directory.Exists(ancestor); ancestor = Path.GetDirectoryName(ancestor))
            missing.Add(ancestor);
        if (missing.Count == 0)
            return;
        Directory.CreateDirectory(folder);
        // A new folder is an entry in its parent: sync the parents, as for a rename.
        foreach (var created in missing)
            PosixFiles.SyncDirectory(Path.GetDirectoryName(created)!);
    }

    private static void RemoveAbandonedTempFiles(string folder)
    {
        var removed = false;
        foreach (var temp in Directory.GetFiles(folder, "." + "*" + TempSuffix))
        {
            if (StateFileOfTemp(Path.GetFileName(temp)) is not { } stateFile)
                continue;
            using var writer = GrainFileLock.TryTake(LockPathOf(Path.Combine(folder, stateFile)));
            if (writer is null)
                continue;
            File.Delete(temp);
            removed = true;
        }
        if (removed)
            PosixFiles.SyncDirectory(folder);
    }

    /// <summary>The state file a temp file was written for: ".&lt;file&gt;.tmp", or the previous version's ".&lt;file&gt;.&lt;guid&gt;.tmp".</summary>
    private static string? StateFileOfTemp(string tempName)
    {
        if (!tempName.StartsWith('.') || !tempName.EndsWith(TempSuffix, StringComparison.Ordinal))
            return null;
        var name = tempName[1..^TempSuffix.Length];
        if (name.EndsWith(FileExtension, StringComparison.Ordinal))
            return name;
        var dot = name.LastIndexOf('.');
        return dot > 0 && name.Length - dot - 1 == PreviousTempIdLength && name[..dot].EndsWith(FileExtension, StringComparison.Ordinal)
            ? name[..dot]
            : null;
    }

    private static string TempPathOf(string path) => HiddenBeside(path, TempSuffix);

    private static string LockPathOf(string path) => HiddenBeside(path, LockSuffix);

    private static string HiddenBeside(string path, string suffix) =>
        Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + suffix);

    private static void DeleteIfPossible(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next writer of this grain, or the next start, to remove.
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
}
