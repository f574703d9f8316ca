using CoS.Distributed.Silo.Hosting;
using CoS.Distributed.Silo.Storage;
using CoS.Distributed.Training.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// The silo host: one process, one silo. Configuration from appsettings.json, COS__* environment variables and
// --Cos:Key=value arguments, e.g.
//   CoS.Distributed.Silo --Cos:Mode=Cluster --Cos:StorageConnectionString=... --Cos:Slots:CpuSlots=2
MallocTuning.Apply();
var builder = Host.CreateApplicationBuilder(args);
var options = builder.Configuration.GetSection(CosSiloOptions.Section).Get<CosSiloOptions>() ?? new CosSiloOptions();
try
{
    builder.UseOrleans(silo => silo.AddCos(options));
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine("The silo's configuration is invalid:");
    foreach (var failure in e.Failures) Console.Error.WriteLine($"  - {failure}");
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
    Console.Error.WriteLine($"The silo did not start: {e.Message}");
    return 1;
}
using (dataLock)
using (var host = builder.Build())
    await host.RunAsync();
return 0;
