using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Silo.Cells;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using TorchSharp;

namespace CoS.Distributed.Silo.Slots;

/// <summary>
/// Starts one dedicated thread per slot once the silo is up, and on shutdown (SIGTERM, Ctrl-C) stops them: each
/// running attempt is interrupted at its next batch and handed back, so another slot resumes it from its last
/// checkpoint. Registered after Orleans, so it stops before the silo does.
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
    private readonly List<Thread> threads = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (plan.Count == 0) return Task.CompletedTask;
        torch.set_num_threads(plan.ThreadsPerSlot);
        var siloName = silo.SiloAddress.ToParsableString();
        for (var i = 0; i < plan.Count; i++)
        {
            var worker = new SlotWorker(new SlotAddress(siloName, i, plan.Devices[i]), grains, trainer, options.Value, logger);
            var thread = new Thread(() => worker.Run(stopping.Token)) { Name = $"cos-slot-{i}", IsBackground = true };
            threads.Add(thread);
            thread.Start();
        }
        LogStarted(logger, plan.Count, plan.Devices, plan.ThreadsPerSlot);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        foreach (var thread in threads)
            await Task.Run(() => thread.Join(TimeSpan.FromSeconds(60)), cancellationToken);
    }

    public void Dispose() => stopping.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} slot(s) started on {Devices}, {Threads} torch thread(s) each")]
    private static partial void LogStarted(ILogger logger, int count, IReadOnlyList<string> devices, int threads);
}
