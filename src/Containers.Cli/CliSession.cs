using System.CommandLine;
using Containers.Cli.Output;
using Containers.Oci.Content;
using Containers.Oci.Registry;
using Containers.Oci.Stores;

namespace Containers.Cli;

/// <summary>
/// One command's run: the global options, where output goes, and the engine's shared pieces (registry clients with
/// their credentials and retries, the content cache), made once and disposed when the command ends.
/// </summary>
public sealed class CliSession : IDisposable
{
    private readonly Lazy<RegistryClientProvider> _clients;

    public CliSession(CliConsole console, ParseResult parse, string command)
    {
        Console = console;
        Command = command;
        Json = parse.GetValue(GlobalOptions.Json);
        Quiet = parse.GetValue(GlobalOptions.Quiet);
        Verbose = parse.GetValue(GlobalOptions.Verbose);
        CacheDirectory = ContentCache.ResolveDirectory(parse.GetValue(GlobalOptions.CacheDirectory), console.Environment);
        Log = new ConsoleLog(console, quiet: Quiet || Json, Verbose);
        Output = new CommandOutput(console, Json, Log);
        _clients = new Lazy<RegistryClientProvider>(() => new RegistryClientProvider(RegistryClientOptions.Default with { Log = Log }));
    }

    public CliConsole Console { get; }
    public string Command { get; }
    public bool Json { get; }
    public bool Quiet { get; }
    public bool Verbose { get; }
    public string CacheDirectory { get; }
    public ConsoleLog Log { get; }
    public CommandOutput Output { get; }

    public RegistryClientProvider Clients => _clients.Value;

    /// <summary>What every store needs, as a publish has it: the same clients, the same cache.</summary>
    public StoreContext Stores => new(Clients, new ContentCache(CacheDirectory, Log), Log);

    /// <summary>Relative paths on the command line are the working directory's.</summary>
    public string WorkingDirectory => Directory.GetCurrentDirectory();

    public void Dispose()
    {
        Log.Dispose();
        if (_clients.IsValueCreated) _clients.Value.Dispose();
    }
}
