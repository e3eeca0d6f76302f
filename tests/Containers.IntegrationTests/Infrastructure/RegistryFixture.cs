using System.Diagnostics;
using Containers.Oci.Names;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>
/// One local registry for the whole test run, started with <c>build/registry.sh start DIR</c> and stopped (with its
/// storage) on dispose, even when tests fail, and at process exit if dispose never comes. Set
/// CONTAINERS_TEST_REGISTRY (as build/fixture-env.sh prints) to use a registry that is already running instead.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public const string ExternalRegistryVariable = "CONTAINERS_TEST_REGISTRY";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan BaseImagesTimeout = TimeSpan.FromMinutes(10);

    private readonly Lazy<Task> _baseImages;
    private readonly Lazy<Task> _debianImage;
    private string? _storageDirectory;
    private int _stopped;

    public RegistryFixture()
    {
        _baseImages = new Lazy<Task>(PushBaseImagesAsync, LazyThreadSafetyMode.ExecutionAndPublication);
        _debianImage = new Lazy<Task>(() => ProcessRunner.RunAsync(Script("debian-image.sh"), [Registry], new ProcessOptions { Timeout = BaseImagesTimeout }),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The registry as the scripts print it: <c>localhost:PORT</c>.</summary>
    public string Registry { get; private set; } = "";

    public int Port => int.Parse(Registry[(Registry.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The same registry by address, <c>127.0.0.1:PORT</c>: the form the SDK's built-in cannot reach.</summary>
    public string LoopbackRegistry => $"127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(ExternalRegistryVariable) is { Length: > 0 } external)
        {
            Registry = external;
            return;
        }
        _storageDirectory = Directory.CreateTempSubdirectory("containers-it-registry-").FullName;
        AppDomain.CurrentDomain.ProcessExit += StopAtExit;
        var result = await ProcessRunner.RunAsync(Script("registry.sh"), ["start", _storageDirectory], new ProcessOptions { Timeout = ScriptTimeout });
        Registry = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidOperationException($"build/registry.sh printed no address: {result}");
    }

    public async Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopAtExit;
        if (_storageDirectory is null || Interlocked.Exchange(ref _stopped, 1) == 1) return;
        await ProcessRunner.RunAsync(Script("registry.sh"), ["stop", _storageDirectory, "--rm"], new ProcessOptions { Timeout = ScriptTimeout, CheckExitCode = false });
    }

    /// <summary>
    /// Pushes dotnet/runtime-deps, dotnet/runtime and dotnet/aspnet :10.0 (build/base-images.sh) the first time any test
    /// asks; every later call, from any test, awaits that same run. A failure is kept too, so it is reported once, fast.
    /// </summary>
    public Task EnsureBaseImagesAsync() => _baseImages.Value;

    /// <summary>
    /// Pushes debian/dotnet-runtime:12 (build/debian-image.sh: Debian minbase with its package database and apt sources,
    /// plus this machine's .NET) the first time a test asks; built once per machine and cached, so later runs only push.
    /// </summary>
    public Task EnsureDebianImageAsync() => _debianImage.Value;

    /// <summary>The Debian base image of <see cref="EnsureDebianImageAsync"/>.</summary>
    public ImageReference DebianImage => ImageReference.Parse($"{Registry}/debian/dotnet-runtime:12");

    /// <summary>A base image pushed by <see cref="EnsureBaseImagesAsync"/>: <c>runtime-deps</c>, <c>runtime</c> or <c>aspnet</c>.</summary>
    public ImageReference BaseImage(string name) => ImageReference.Parse($"{Registry}/dotnet/{name}:10.0");

    /// <summary>A repository name no other test uses, so tests never see each other's blobs or tags.</summary>
    public static string UniqueRepository(string name) => $"it/{name}-{Guid.NewGuid().ToString("N")[..12]}";

    private Task PushBaseImagesAsync()
        => ProcessRunner.RunAsync(Script("base-images.sh"), [Registry], new ProcessOptions { Timeout = BaseImagesTimeout });

    private static string Script(string name) => RepositoryRoot.Combine("build", name);

    // Synchronous on purpose: at process exit there is no one left to await a task.
    private void StopAtExit(object? sender, EventArgs e)
    {
        if (_storageDirectory is null || Interlocked.Exchange(ref _stopped, 1) == 1) return;
        using var stop = Process.Start(new ProcessStartInfo(Script("registry.sh")) { ArgumentList = { "stop", _storageDirectory, "--rm" }, UseShellExecute = false });
        stop?.WaitForExit(10_000);
    }
}

/// <summary>Tests in this collection share one <see cref="RegistryFixture"/>: <c>[Collection(RegistryCollection.Name)]</c>.</summary>
[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "registry";
}
