using CoS.Distributed.Silo.Storage;
using CoS.Distributed.Training.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CoS.Distributed.Silo.Hosting;

/// <summary>
/// The silo process: one silo, configured from appsettings.json, Cos__* environment variables and --Cos:Key=value
/// arguments. The program is this and nothing else; a test host passes <c>services</c> to replace a part (its fault
/// injection), so it runs exactly the silo users run.
/// </summary>
public static class SiloHost
{
    public static async Task<int> RunAsync(string[] args, Action<IServiceCollection>? services = null)
    {
        MallocTuning.Apply();
        var builder = Host.CreateApplicationBuilder(args);
        var options = builder.Configuration.GetSection(CosSiloOptions.Section).Get<CosSiloOptions>() ?? new CosSiloOptions();
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
            foreach (var failure in e.Failures) await Console.Error.WriteLineAsync($"  - {failure}");
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
            await host.RunAsync();
        return 0;
    }
}
