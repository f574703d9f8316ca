using Orleans.Metadata;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace CoS.Distributed.Grains.Placement;

/// <summary>
/// Places a cell grain on the silo whose slot is about to train it (named in the request context by the slot
/// worker), so that the authority for a cell's state sits beside its training. Without a hint it picks a silo
/// that advertises slots; a silo with zero slots (a coordinator or gateway) never hosts a cell.
/// </summary>
[GenerateSerializer, Immutable, Alias("cos.SlotPlacementStrategy")]
public sealed class SlotPlacementStrategy : PlacementStrategy
{
    internal static readonly SlotPlacementStrategy Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SlotPlacementAttribute() : PlacementAttribute(SlotPlacementStrategy.Instance);

/// <summary>Metadata keys and request-context keys of slot placement.</summary>
public static class SlotMetadata
{
    /// <summary>Silo metadata: the number of slots the silo owns.</summary>
    public const string SlotCount = "cos.slots";

    /// <summary>Request context: the parsable address of the silo the caller wants the grain placed on.</summary>
    public const string TargetSilo = "cos.target-silo";
}

public sealed class SlotPlacementDirector(ISiloMetadataCache metadata) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var compatible = context.GetCompatibleSilos(target);
        if (target.RequestContextData is { } data && data.TryGetValue(SlotMetadata.TargetSilo, out var value) && value is string wanted)
        {
            var match = compatible.FirstOrDefault(s => s.ToParsableString() == wanted);
            if (match is not null) return Task.FromResult(match);
        }
        var withSlots = compatible.Where(s => SlotsOf(s) > 0).ToArray();
        var candidates = withSlots.Length > 0 ? withSlots : compatible;
        return Task.FromResult(candidates[Random.Shared.Next(candidates.Length)]);
    }

    private int SlotsOf(SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.TryGetValue(SlotMetadata.SlotCount, out var text) && int.TryParse(text, out var n) ? n : 0;
}
