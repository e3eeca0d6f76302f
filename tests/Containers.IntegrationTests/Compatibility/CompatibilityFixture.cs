using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.Compatibility;

/// <summary>
/// A registry per tool, each holding the same base images: the stand-in dotnet/runtime-deps, runtime and aspnet, and
/// dotnet/runtime-custom, a runtime image whose config has what the official images lack (an entrypoint, a cmd,
/// volumes, a stop signal, labels, ports, a working directory and a user), so inheritance rules are compared too.
/// The matrix runs once, on first use, and every test reads its outcome.
/// </summary>
public sealed class CompatibilityFixture : IAsyncLifetime
{
    private readonly Lazy<Task<CompatibilityRun>> _run;
    private readonly Lazy<Task<CompatibilityProject>> _published;
    private readonly TempDirectory _projects = new("containers-compat-errors-");
    private ScratchRegistry? _ours;
    private ScratchRegistry? _builtIn;

    public CompatibilityFixture()
    {
        _run = new Lazy<Task<CompatibilityRun>>(() => CompatibilityRun.RunAsync(this, CompatibilityMatrix.Cases), LazyThreadSafetyMode.ExecutionAndPublication);
        _published = new Lazy<Task<CompatibilityProject>>(PublishConsoleAppAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The tag of dotnet/runtime in the "ours" registry that is an index with only linux/amd64 in it.</summary>
    public const string IndexTag = "10.0-amd64-only";

    /// <summary>The registry the given tool publishes to.</summary>
    public ScratchRegistry Registry(Tool tool) => (tool == Tool.Ours ? _ours : _builtIn) ?? throw new InvalidOperationException("The fixture is not initialized.");

    public Task<CompatibilityRun> MatrixAsync() => _run.Value;

    /// <summary>A console app with our package, published once, for tests that run the container targets on it with mistakes of their own.</summary>
    public Task<CompatibilityProject> PublishedConsoleAppAsync() => _published.Value;

    /// <summary>A new project with our package in a folder of its own (not published), removed with the fixture.</summary>
    public Task<CompatibilityProject> NewProjectAsync(AppKind app, IReadOnlyDictionary<string, string>? build = null)
        => CompatibilityProject.CreateAsync(_projects.Combine(Guid.NewGuid().ToString("N")[..8]), app, Tool.Ours, build ?? new Dictionary<string, string>());

    public async Task InitializeAsync()
    {
        _ours = await ScratchRegistry.StartAsync();
        _builtIn = await ScratchRegistry.StartAsync();
        await _ours.PushBaseImagesAsync();
        await _builtIn.PushBaseImagesAsync();
        await PushCustomBaseAsync(_ours.Address, [_ours.Address, _builtIn.Address]);
        await RegistryReader.PushSinglePlatformIndexAsync(_ours.Address, "dotnet/runtime", "10.0", IndexTag);
    }

    public async Task DisposeAsync()
    {
        if (_ours is not null) await _ours.DisposeAsync();
        if (_builtIn is not null) await _builtIn.DisposeAsync();
        _projects.Dispose();
    }

    private async Task<CompatibilityProject> PublishConsoleAppAsync()
    {
        var project = await NewProjectAsync(AppKind.Console);
        await project.PublishAppAsync();
        return project;
    }

    /// <summary>dotnet/runtime-custom:10.0: the runtime stand-in with a config an official image would not have (umoci edits it).</summary>
    private static async Task PushCustomBaseAsync(string source, IEnumerable<string> registries)
    {
        using var work = new TempDirectory("containers-compat-base-");
        var layout = work.Combine("layout");
        await ProcessRunner.RunAsync("skopeo", ["copy", "-q", "--src-tls-verify=false", $"docker://{source}/dotnet/runtime:10.0", $"oci:{layout}:runtime"]);
        await ProcessRunner.RunAsync("umoci",
        [
            "config", "--image", $"{layout}:runtime", "--tag", "custom",
            "--config.entrypoint", "/usr/local/bin/entrypoint.sh", "--config.cmd", "--from-base",
            "--config.volume", "/data", "--config.stopsignal", "SIGINT", "--config.label", "com.example.base=custom",
            "--config.exposedports", "9000/tcp", "--config.workingdir", "/base", "--config.user", "1000",
            "--config.env", "BASE_ONLY=1", "--created", "1970-01-01T00:00:00Z", "--history.created", "1970-01-01T00:00:00Z",
        ]);
        foreach (var registry in registries)
        {
            await ProcessRunner.RunAsync("skopeo", ["copy", "-q", "--dest-tls-verify=false", $"oci:{layout}:custom", $"docker://{registry}/dotnet/runtime-custom:10.0"]);
        }
    }
}

/// <summary>
/// The compatibility suite's collection. It has registries of its own, so it runs beside the "registry" collection
/// rather than after it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CompatibilityCollection : ICollectionFixture<CompatibilityFixture>
{
    public const string Name = "compatibility";
}
