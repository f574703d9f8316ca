using CoS.Distributed.Silo.Hosting;

// The silo host: one process, one silo. Configuration from appsettings.json, Cos__* environment variables and
// --Cos:Key=value arguments, e.g.
//   Cos__StorageConnectionString=... CoS.Distributed.Silo --Cos:Mode=Cluster --Cos:Slots:CpuSlots=2
// Secrets (the storage connection string, the TLS password) come from the environment or from files
// (Cos:StorageConnectionStringFile, Cos:Tls:PasswordFile), never necessarily from the command line.
return await SiloHost.RunAsync(args);
