using CoS.Distributed.Security.Logging;
using CoS.Distributed.Security.Secrets;
using CoS.Distributed.Silo.Storage;
using CoS.Distributed.Training.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CoS.Distributed.Silo.Hosting;

/// <summary>
/// The silo process: one silo, configured from appsettings.json, Cos__* environment variables and --Cos:Key=value
/// arguments, every secret redacted from its logs and messages. The program is this and nothing else; a test host
/// passes <c>services</c> to replace a part (its fault injection), so it runs exactly the silo users run.
/// </summary>
public static class SiloHost
{
    public static async Task<int> RunAsync(string[] args, Action<IServiceCollection>? services = null)
    {
        MallocTuning.Apply();
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddSecretRedaction();
        var options = CosSiloOptions.From(builder.Configuration);
        try
        {
            builder.UseOrleans(silo =>
            {
                silo.AddCos(options);
                services?.Invoke(silo.Services);
            });
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("The silo's configuration is invalid:");
            foreach (var failure in e.Failures) await Console.Error.WriteLineAsync($"  - {SecretRedactor.Redact(failure)}");
            return 1;
        }
        DataDirectoryLock? dataLock;
        try
        {
            // Before anything starts, refuse a data directory another process uses (AddCos makes the silo hold it too).
            dataLock = options.Mode == HostingMode.Embedded ? DataDirectoryLock.Take(options.DataDirectory, "start the silo with --Cos:DataDirectory=<another folder>") : null;
        }
        catch (DataDirectoryBusyException e)
        {
            await Console.Error.WriteLineAsync($"The silo did not start: {e.Message}");
            return 1;
        }
        using (dataLock)
        using (var host = builder.Build())
        {
            try
            {
                await host.RunAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The host has logged it (redacted); the runtime's own report of an unhandled exception would not be.
                await Console.Error.WriteLineAsync(SecretRedactor.Redact($"The silo stopped: {e}"));
                return 1;
            }
        }
        return 0;
    }
}
