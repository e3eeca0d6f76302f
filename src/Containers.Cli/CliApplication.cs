using System.CommandLine;
using Containers.Cli.Commands;

namespace Containers.Cli;

/// <summary>
/// The command tree and its exit codes. Parsing is System.CommandLine's; a command line it rejects exits 2 with its
/// messages and a pointer to --help, before any command runs.
/// </summary>
public static class CliApplication
{
    public static RootCommand CreateRoot(CliConsole console)
    {
        var root = new RootCommand("containerize: build, copy, inspect, validate and rebase OCI images without a container engine, with the engine of Containers.Build (same credentials, cache, retries, error codes and reproducible images). Exit codes: 0 ok, 1 failure, 2 usage.")
        {
            BuildCommand.Create(console),
            CopyCommand.Create(console),
            InspectCommand.Create(console),
            ValidateCommand.Create(console),
            DigestCommand.Create(console),
            TagCommand.Create(console),
            ListTagsCommand.Create(console),
            RebaseCommand.Create(console),
            LoginCommand.Create(console),
            CacheCommand.Create(console),
        }.With(
            "containerize build ./publish --base mcr.microsoft.com/dotnet/runtime:10.0 --to localhost:5000/app:1.0",
            "containerize copy localhost:5000/app:1.0 registry.example.com/app:1.0",
            "containerize <command> --help");
        GlobalOptions.AddTo(root);
        Examples.AddToHelp(root);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var root = CreateRoot(console);
        var parse = root.Parse(args);
        // --help and --version clear parse errors: 'containerize copy --help' shows help, not a missing argument.
        if (parse.Errors.Count > 0 && !AsksForHelp(root, parse))
        {
            foreach (var error in parse.Errors) console.Error.WriteLine($"error: {error.Message}");
            var command = parse.CommandResult.Command;
            console.Error.WriteLine($"Run '{(command is RootCommand ? "containerize" : "containerize " + command.Name)} --help' for usage and examples.");
            return ExitCodes.Usage;
        }
        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false };
        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    private static bool AsksForHelp(RootCommand root, ParseResult parse)
        => root.Options.Any(o => o is System.CommandLine.Help.HelpOption or VersionOption && parse.GetResult(o) is not null);
}
