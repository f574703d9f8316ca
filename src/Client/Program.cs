Console.Error.WriteLine("cos: the command-line tool is being built (issue 4).");
return 1;
