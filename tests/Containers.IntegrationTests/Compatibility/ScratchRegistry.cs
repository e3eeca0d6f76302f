using System.Diagnostics;
using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.Compatibility;

/// <summary>
/// A registry of our own (build/registry.sh), started even when CONTAINERS_TEST_REGISTRY names a shared one: the
/// compatibility suite gives each tool its own registry, so both can push the same repository names at the same time.
/// Stopped, with its storage, on dispose or at process exit.
/// </summary>
public sealed class ScratchRegistry : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(1);
    private readonly string _storage;
    private int _stopped;

    private ScratchRegistry(string storage, string address)
    {
        _storage = storage;
        Address = address;
        AppDomain.CurrentDomain.ProcessExit += StopAtExit;
    }

    /// <summary><c>localhost:PORT</c>, the form both tools reach over plain HTTP.</summary>
    public string Address { get; }

    /// <summary>Starts a registry; <paramref name="options"/> are build/registry.sh start options such as <c>--htpasswd FILE</c>.</summary>
    public static async Task<ScratchRegistry> StartAsync(params string[] options)
    {
        var storage = Directory.CreateTempSubdirectory("containers-compat-registry-").FullName;
        var result = await ProcessRunner.RunAsync(Script("registry.sh"), ["start", storage, .. options], new ProcessOptions { Timeout = ScriptTimeout });
        var address = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidOperationException($"build/registry.sh printed no address: {result}");
        return new ScratchRegistry(storage, address);
    }

    /// <summary>Pushes the stand-in dotnet/runtime-deps, runtime and aspnet :10.0 images (build/base-images.sh).</summary>
    public Task PushBaseImagesAsync()
        => ProcessRunner.RunAsync(Script("base-images.sh"), [Address], new ProcessOptions { Timeout = TimeSpan.FromMinutes(10) });

    public string BaseImage(string name) => $"{Address}/dotnet/{name}:10.0";

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopAtExit;
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        await ProcessRunner.RunAsync(Script("registry.sh"), ["stop", _storage, "--rm"], new ProcessOptions { Timeout = ScriptTimeout, CheckExitCode = false });
    }

    private static string Script(string name) => RepositoryRoot.Combine("build", name);

    // Synchronous on purpose: at process exit there is no one left to await a task.
    private void StopAtExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        using var stop = Process.Start(new ProcessStartInfo(Script("registry.sh")) { ArgumentList = { "stop", _storage, "--rm" }, UseShellExecute = false });
        stop?.WaitForExit(10_000);
    }
}
