using CoS.Distributed.Grains.Placement;
using CoS.Distributed.Grains.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;

namespace CoS.Distributed.Grains;

public static class GrainsHostingExtensions
{
    /// <summary>Registers what the CoS grains need on a silo: slot placement and the scheduler's options.</summary>
    public static ISiloBuilder AddCosGrains(this ISiloBuilder builder, Action<SchedulerOptions>? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPlacementDirector<SlotPlacementStrategy, SlotPlacementDirector>();
        builder.Services.AddOptions<SchedulerOptions>().Configure(o => scheduler?.Invoke(o));
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
