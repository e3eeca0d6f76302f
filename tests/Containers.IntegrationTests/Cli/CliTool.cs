using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.Cli;

/// <summary>
/// The containerize tool as a user gets it: packed from src/Containers.Cli into the test run's feed (beside
/// Containers.Build, same version) and installed with <c>dotnet tool install --tool-path</c>, once per run, on first
/// use. Every run of it gets a content cache of the run's own (CONTAINERS_CACHE_DIR), never the user's.
/// </summary>
public sealed class CliTool
{
    private static readonly Lazy<Task<CliTool>> Installed = new(InstallAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly TempDirectory Cache = new("containers-it-cli-cache-");
    private static readonly TempDirectory Work = new("containers-it-cli-tool-");

    // The run's cache, pack output and installed tool go when the test process ends (no fixture outlives the run).
    static CliTool() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        Cache.Dispose();
        Work.Dispose();
    };

    private CliTool(string executable, string version)
    {
        Executable = executable;
        Version = version;
    }

    /// <summary>The installed command, <c>TOOLPATH/containerize</c>.</summary>
    public string Executable { get; }

    public string Version { get; }

    public static Task<CliTool> GetAsync() => Installed.Value;

    /// <summary>Runs the tool; a non-zero exit fails the test unless <paramref name="expectSuccess"/> is false.</summary>
    public Task<ProcessResult> RunAsync(IEnumerable<string> arguments, bool expectSuccess = true, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
        => ProcessRunner.RunAsync(Executable, arguments, new ProcessOptions
        {
            Environment = Environment(environment),
            Timeout = TimeSpan.FromMinutes(5),
            CheckExitCode = expectSuccess,
            WorkingDirectory = workingDirectory,
        });

    public Task<ProcessResult> RunAsync(params string[] arguments) => RunAsync(arguments, expectSuccess: true);

    /// <summary>The environment for a run: the tests' dotnet settings, the run's cache, no colour unless a test asks.</summary>
    public static Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var variables = new Dictionary<string, string?>(DotnetEnvironment.Variables)
        {
            ["CONTAINERS_CACHE_DIR"] = Cache.Path,
            ["CI"] = null,
            ["TF_BUILD"] = null,
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>()) variables[name] = value;
        return variables;
    }

    private static async Task<CliTool> InstallAsync()
    {
        var (feed, version) = await PackageFeed.GetAsync();
        var artifacts = Work.Combine("pack");
        await ProcessRunner.RunAsync("dotnet",
            ["pack", RepositoryRoot.Combine("src", "Containers.Cli", "Containers.Cli.csproj"), "-c", "Release", "-o", feed,
             "--artifacts-path", artifacts, $"-p:ContainersVersion={version}", "-nologo", "-v:q", "-nodeReuse:false"],
            new ProcessOptions { Timeout = TimeSpan.FromMinutes(5), Environment = DotnetEnvironment.Variables });
        try { Directory.Delete(artifacts, recursive: true); } catch (IOException) { }   // only the package in the feed is needed now
        var toolPath = Work.Combine("tool");
        Directory.CreateDirectory(toolPath);
        await ProcessRunner.RunAsync("dotnet",
            ["tool", "install", "--tool-path", toolPath, "--add-source", feed, "containerize", "--version", version],
            new ProcessOptions { Timeout = TimeSpan.FromMinutes(5), Environment = DotnetEnvironment.Variables, WorkingDirectory = toolPath });
        var executable = Path.Combine(toolPath, "containerize");
        return File.Exists(executable) ? new CliTool(executable, version) : throw new InvalidOperationException($"dotnet tool install left no {executable}.");
    }
}
