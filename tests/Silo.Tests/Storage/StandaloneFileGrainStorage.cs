using CoS.Distributed.Silo.Storage;
using Orleans.Serialization.Activators;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace CoS.Distributed.Silo.Tests.Storage;

/// <summary>The state the storage contract tests write: who wrote it and a count that increments can race on.</summary>
public sealed record CounterState
{
    public string Writer { get; init; } = "";
    public int Count { get; init; }
}

/// <summary>
/// A <see cref="FileGrainStorage"/> outside a silo, as a second instance or a second process would open it:
/// System.Text.Json for the state (the store only needs JSON) and parameterless constructors for empty state.
/// </summary>
public static class StandaloneFileGrainStorage
{
    public const string StateName = "counter";

    public static FileGrainStorage Create(string root) =>
        new("files", new FileGrainStorageOptions { RootDirectory = root }, new JsonStateSerializer(), new NewInstances());

    public static GrainId Grain(string key) => GrainId.Create("test-grain", key);

    /// <summary>
    /// Adds one to the grain's count the way a grain would (read, change, write with the ETag just read), reading
    /// again whenever the write is refused; returns how many writes were refused before one succeeded.
    /// </summary>
    public static async Task<int> Increment(IGrainStorage storage, GrainId grain, string writer)
    {
        for (var refused = 0; ; refused++)
        {
            var state = new GrainState<CounterState>();
            await storage.ReadStateAsync(StateName, grain, state);
            state.State = state.State! with { Writer = writer, Count = state.State.Count + 1 };
            try
            {
                await storage.WriteStateAsync(StateName, grain, state);
                return refused;
            }
            catch (InconsistentStateException)
            {
            }
        }
    }

    private sealed class JsonStateSerializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => BinaryData.FromObjectAsJson(input);

        public T Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>()!;
    }

    private sealed class NewInstances : IActivatorProvider
    {
        public IActivator<T> GetActivator<T>() => new New<T>();
    }

    private sealed class New<T> : IActivator<T>
    {
        public T Create() => Activator.CreateInstance<T>();
    }
}
