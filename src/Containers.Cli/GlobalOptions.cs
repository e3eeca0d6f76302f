using System.CommandLine;

namespace Containers.Cli;

/// <summary>Options every command takes (System.CommandLine's recursive options): output form, verbosity, the cache.</summary>
public static class GlobalOptions
{
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write the result as one JSON document on standard output (errors too), and no progress.",
        Recursive = true,
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "Show no progress and no information lines; results and errors still print.",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show detailed lines: each layer, the cache, retries, the credential source used.",
        Recursive = true,
    };

    public static readonly Option<string?> CacheDirectory = new("--cache-dir")
    {
        Description = "The content cache of base layers (default: CONTAINERS_CACHE_DIR, else ~/.cache/containers-build, shared with dotnet publish).",
        HelpName = "DIR",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Add(Json);
        root.Add(Quiet);
        root.Add(Verbose);
        root.Add(CacheDirectory);
    }
}
