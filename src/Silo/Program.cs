Console.Error.WriteLine("CoS.Distributed.Silo: the silo host is being built (issue 3).");
return 1;
