using System.CommandLine;
using CoS.Distributed.Client.Commands;
using CoS.Distributed.Training.Runtime;

// Embedded mode trains in this process: glibc's malloc thresholds matter (see README, "The glibc malloc setting").
MallocTuning.Apply();
var context = CliContext.ForConsole();
var configuration = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) };
return await CosCommand.Create(context).Parse(args).InvokeAsync(configuration);
