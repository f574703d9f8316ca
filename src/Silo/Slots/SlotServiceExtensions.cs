using CoS.Distributed.Grains.Placement;
using CoS.Distributed.Silo.Cells;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace CoS.Distributed.Silo.Slots;

public static class SlotServiceExtensions
{
    /// <summary>
    /// The silo's slots: advertised in silo metadata (so cells are placed only on silos that train), one dedicated
    /// thread each and the heartbeat that renews their leases, training with <see cref="TorchCellTrainer"/> unless
    /// another <see cref="ICellTrainer"/> was registered. Checkpoint storage must be registered too.
    /// </summary>
    public static ISiloBuilder AddSlots(this ISiloBuilder silo, SlotOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        var plan = SlotPlan.From(options);
        silo.UseSiloMetadata(new Dictionary<string, string> { [SlotMetadata.SlotCount] = plan.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        silo.Services.AddSingleton(plan);
        silo.Services.AddOptions<SlotOptions>().Configure(o =>
        {
            o.CpuSlots = options.CpuSlots;
            o.ThreadsPerSlot = options.ThreadsPerSlot;
            o.UseGpus = options.UseGpus;
            o.IdlePoll = options.IdlePoll;
            o.HeartbeatInterval = options.HeartbeatInterval;
        });
        silo.Services.TryAddSingleton<DataCache>();
        silo.Services.TryAddSingleton<ICellTrainer, TorchCellTrainer>();
        silo.Services.AddHostedService<SlotWorkers>();
        return silo;
    }
}
