using CoS.Distributed.Security.Logging;
using CoS.Distributed.Security.Secrets;
using CoS.Distributed.Silo.Hosting;
using CoS.Distributed.Training.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// The silo host: one process, one silo. Configuration from appsettings.json, Cos__* environment variables and
// --Cos:Key=value arguments, e.g.
//   Cos__StorageConnectionString=... CoS.Distributed.Silo --Cos:Mode=Cluster --Cos:Slots:CpuSlots=2
// Secrets (the storage connection string, the TLS password) come from the environment or from files
// (Cos:StorageConnectionStringFile, Cos:Tls:PasswordFile), never necessarily from the command line.
MallocTuning.Apply();
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSecretRedaction();
var options = CosSiloOptions.From(builder.Configuration);
try
{
    builder.UseOrleans(silo => silo.AddCos(options));
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine("The silo's configuration is invalid:");
    foreach (var failure in e.Failures) Console.Error.WriteLine($"  - {SecretRedactor.Redact(failure)}");
    return 1;
}
using var host = builder.Build();
try
{
    await host.RunAsync();
}
catch (Exception e) when (e is not OperationCanceledException)
{
    // The host has logged it (redacted); the runtime's own report of an unhandled exception would not be.
    Console.Error.WriteLine(SecretRedactor.Redact($"The silo stopped: {e}"));
    return 1;
}
return 0;
