using CoS.Distributed.Silo.Hosting;

// The silo host: one process, one silo. Configuration from appsettings.json, COS__* environment variables and
// --Cos:Key=value arguments, e.g.
//   CoS.Distributed.Silo --Cos:Mode=Cluster --Cos:StorageConnectionString=... --Cos:Slots:CpuSlots=2
return await SiloHost.RunAsync(args);
