using CoS.Distributed.Silo.Cells;
using CoS.Distributed.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

// The real silo, but its trainer kills its own process — Environment.FailFast, as a native crash, an out-of-memory
// kill or a stack overflow would — when it starts an attempt of a cell whose seed is COS_TEST_CRASH_ON_SEED: a poison
// cell, for the tests that show it ends as failed instead of taking down every silo in turn.
var crashOnSeed = Environment.GetEnvironmentVariable("COS_TEST_CRASH_ON_SEED") is { } text ? long.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : (long?)null;
return await SiloHost.RunAsync(args, services =>
{
    if (crashOnSeed is not { } seed) return;
    services.AddSingleton<TorchCellTrainer>();
    services.Replace(ServiceDescriptor.Singleton<ICellTrainer>(sp => new CrashingTrainer(sp.GetRequiredService<TorchCellTrainer>(), seed)));
});

internal sealed class CrashingTrainer(ICellTrainer inner, long seed) : ICellTrainer
{
    public AttemptResult Train(AttemptContext attempt, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (attempt.Assignment.Spec.Seed == seed)
            Environment.FailFast($"fault injection: the cell {attempt.Assignment.CellId} (seed {seed}) crashes its process");
        return inner.Train(attempt, stopping);
    }
}
