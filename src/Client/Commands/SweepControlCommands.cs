using System.CommandLine;
using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Client.Commands;

/// <summary>cancel and resume: stopping a sweep, and continuing it from its checkpoints.</summary>
public static partial class SweepCommands
{
    private static Command Resume(CliContext context)
    {
        var command = new Command("resume", """
            Resumes a cancelled sweep: its unfinished cells are pending again and continue from their last checkpoints;
            finished results stay. With --cluster the cluster runs them at once; in embedded mode `cos run <sweep.yaml>`
            trains them (or `cos run <sweep.yaml> --resume` does both).
            Example: cos resume paper-cifar10 --cluster localhost:30000
            """) { SweepName };
        command.SetAction(async (result, cancellation) =>
            await WithConnection(context, CosCommand.Connection(result), 0, null, async connection =>
            {
                var sweep = result.GetValue(SweepName)!;
                if (!await Exists(context, connection, sweep)) return ExitCodes.UserError;
                if (!await connection.Grains.GetGrain<ISweepGrain>(sweep).Resume())
                    return Fail(context, $"sweep '{sweep}' is not cancelled: there is nothing to resume (`cos status {sweep}` shows where it stands)");
                await context.Output.WriteLineAsync(connection.Embedded
                    ? $"sweep '{sweep}' resumed; `cos run` on its file trains the rest"
                    : $"sweep '{sweep}' resumed on the {connection.Description}");
                return ExitCodes.Success;
            }, cancellation));
        return command;
    }

    private static Command Cancel(CliContext context)
    {
        var command = new Command("cancel", """
            Cancels a sweep: pending cells are dropped, running ones stop at their next epoch. Finished results stay.
            Example: cos cancel paper-cifar10 --cluster localhost:30000
            """) { SweepName };
        command.SetAction(async (result, cancellation) =>
            await WithConnection(context, CosCommand.Connection(result), 0, null, async connection =>
            {
                var sweep = result.GetValue(SweepName)!;
                if (!await Exists(context, connection, sweep)) return ExitCodes.UserError;
                await connection.Grains.GetGrain<ISweepGrain>(sweep).Cancel();
                await context.Output.WriteLineAsync($"sweep '{sweep}' cancelled");
                return ExitCodes.Success;
            }, cancellation));
        return command;
    }
}
