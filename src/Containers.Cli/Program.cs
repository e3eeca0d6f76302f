using Containers.Cli;

return await CliApplication.RunAsync(args, CliConsole.FromEnvironment());
