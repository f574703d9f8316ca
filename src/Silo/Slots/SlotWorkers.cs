using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Scheduling;
using CoS.Distributed.Silo.Cells;
using CoS.Distributed.Silo.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using TorchSharp;

namespace CoS.Distributed.Silo.Slots;

/// <summary>
/// Starts one dedicated thread per slot once the silo is up, and the heartbeat that renews all their leases in one
/// call. On shutdown (SIGTERM, Ctrl-C) it stops them: each running attempt is interrupted at its next batch and handed
/// back, so another slot resumes it from its last checkpoint. Registered after Orleans, so it stops before the silo does.
/// </summary>
public sealed partial class SlotWorkers(
    SlotPlan plan,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    ICellTrainer trainer,
    IOptions<SlotOptions> options,
    ILogger<SlotWorkers> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource stopped = new();
    private readonly List<Thread> threads = [];
    private readonly HeldLeases held = new();
    private readonly List<SlotAddress> owned = [];
    private Task heartbeat = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (plan.Count == 0) return Task.CompletedTask;
        torch.set_num_threads(plan.ThreadsPerSlot);
        var siloName = silo.SiloAddress.ToParsableString();
        for (var i = 0; i < plan.Count; i++)
        {
            var address = new SlotAddress(siloName, i, plan.Devices[i]);
            var worker = new SlotWorker(address, grains, trainer, held, options.Value, logger);
            SlotMetrics.Owned(address);
            owned.Add(address);
            var thread = new Thread(() => worker.Run(stopping.Token)) { Name = $"cos-slot-{i}", IsBackground = true };
            threads.Add(thread);
            thread.Start();
        }
        heartbeat = Task.Run(() => Beat(siloName), CancellationToken.None);
        LogStarted(logger, plan.Count, plan.Devices, plan.ThreadsPerSlot);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        foreach (var thread in threads)
            await Task.Run(() => thread.Join(TimeSpan.FromSeconds(60)), cancellationToken);
        // The heartbeat outlives the slots, so that hand-backs still in flight keep their leases until released.
        await stopped.CancelAsync();
        await heartbeat;
        foreach (var slot in owned) SlotMetrics.Released(slot);
    }

    public void Dispose()
    {
        stopping.Dispose();
        stopped.Dispose();
    }

    /// <summary>
    /// Renews every lease this silo's slots hold, a third of the lease duration apart, and stops the attempts whose
    /// leases the scheduler no longer recognises.
    /// </summary>
    private async Task Beat(string siloName)
    {
        var scheduler = grains.GetGrain<ISchedulerGrain>(0);
        while (!stopped.IsCancellationRequested)
        {
            var interval = held.ShortestDuration is { } duration ? duration / 3 : options.Value.HeartbeatInterval;
            try
            {
                await Task.Delay(interval < options.Value.HeartbeatInterval ? interval : options.Value.HeartbeatInterval, stopped.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var leases = held.Snapshot();
            if (leases.Count == 0) continue;
            try
            {
                var lost = await scheduler.Renew(siloName, leases);
                if (lost.Count > 0)
                {
                    LogLeasesLost(logger, lost.Count, string.Join(", ", leases.Where(l => lost.Contains(l.Id)).Select(l => l.CellId)));
                    held.Revoke(lost);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The scheduler is moving (its silo died) or busy: beat again; a lease lapses only after several misses.
                LogHeartbeatFailed(logger, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} slot(s) started on {Devices}, {Threads} torch thread(s) each")]
    private static partial void LogStarted(ILogger logger, int count, IReadOnlyList<string> devices, int threads);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} lease(s) of this silo's slots were taken back; their attempts stop: {Cells}")]
    private static partial void LogLeasesLost(ILogger logger, int count, string cells);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease heartbeat failed: {Error}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string error);
}
