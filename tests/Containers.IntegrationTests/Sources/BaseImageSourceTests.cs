using Containers.IntegrationTests.Destinations;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Content;
using Containers.Oci.Stores;
using Containers.Oci.Errors;
using Containers.Oci.Model;

namespace Containers.IntegrationTests.Sources;

/// <summary>
/// Building on a base image that is in no registry: an OCI layout folder and a docker-archive made by skopeo, and an
/// image in the local podman store. Each result goes somewhere else again (a registry, podman, an archive) and runs.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class BaseImageSourceTests(RegistryFixture registry, LocalImagesFixture local) : IClassFixture<LocalImagesFixture>
{
    private const string Greeting = "Hello from ConsoleApp in a container: user=app";
    private static readonly Platform LinuxAmd64 = new("amd64", "linux");

    private async Task<string> RuntimeAsync()
    {
        await registry.EnsureBaseImagesAsync();
        return registry.BaseImage("runtime").ToString();
    }

    [Fact]
    public async Task ABaseFromAnOciLayoutFolder_PushedToARegistry_Runs()
    {
        using var folder = new TempDirectory();
        var layout = folder.Combine("base-layout");
        await Skopeo.RunAsync("copy", "--src-tls-verify=false", $"docker://{await RuntimeAsync()}", $"oci:{layout}:runtime:10.0");
        var repository = RegistryFixture.UniqueRepository("on-layout");
        var image = $"{registry.Registry}/{repository}";
        local.RemoveLater(image + ":latest");

        var result = await local.PublishAsync([$"ContainerBaseImage=oci-layout:{layout}:runtime:10.0", $"ContainerRegistry={registry.Registry}", $"ContainerRepository={repository}"]);

        Assert.Contains("uploaded from the base image", result.StandardOutput);
        await Podman.PullAsync(image + ":latest");
        Assert.Contains(Greeting, await Podman.RunAsync(image + ":latest"));
    }

    [Fact]
    public async Task ABaseFromADockerArchive_LoadedIntoPodman_Runs()
    {
        using var folder = new TempDirectory();
        var archive = folder.Combine("runtime.tar");
        await Skopeo.RunAsync("copy", "--src-tls-verify=false", $"docker://{await RuntimeAsync()}", $"docker-archive:{archive}:runtime:10.0");
        var name = LocalImagesFixture.UniqueName("on-archive");
        local.RemoveLater($"localhost/{name}:latest");

        await local.PublishInProcessAsync(ImageLocation.Parse($"docker-archive:{archive}:runtime:10.0", folder.Path), ImageDestination.Daemon(LocalDaemonKind.Podman, name), ["latest"]);

        Assert.Contains(Greeting, await Podman.RunAsync($"{name}:latest"));
    }

    [Fact]
    public async Task ABaseFromThePodmanStore_WrittenToAnArchive_Runs()
    {
        var runtime = await RuntimeAsync();
        await Podman.PullAsync(local.RemoveLater(runtime));
        var baseName = $"localhost/{LocalImagesFixture.UniqueName("base")}:10.0";
        await ProcessRunner.RunAsync("podman", ["tag", runtime, local.RemoveLater(baseName)]);
        using var folder = new TempDirectory();
        var name = LocalImagesFixture.UniqueName("on-podman");
        local.RemoveLater($"localhost/{name}:latest");

        await local.PublishInProcessAsync(ImageLocation.Parse($"podman:{baseName}", folder.Path), ImageDestination.Archive(folder.Combine("app.tar"), new ImageName(null, name)), ["latest"]);

        await ProcessRunner.RunAsync("podman", ["load", "-q", "-i", folder.Combine("app.tar")]);
        Assert.Contains(Greeting, await Podman.RunAsync($"{name}:latest"));
        Assert.Empty(Directory.GetFiles(Path.Combine(local.CacheDirectory, "tmp"), "export-*"));   // the engine's export is gone
    }

    [Fact]
    public async Task AnImageThePodmanStoreDoesNotHave_IsACodedError_WithPodmansAnswer()
    {
        using var clients = new Containers.Oci.Registry.RegistryClientProvider();
        var source = new DaemonStore(new DaemonStoreLocation(LocalDaemonKind.Podman, "localhost/it-no-such-image:1.0"),
            new StoreContext(clients, new ContentCache(local.CacheDirectory), Containers.Oci.Diagnostics.NullBuildLog.Instance));

        var error = await Assert.ThrowsAsync<ContainerException>(() => source.ReadImageAsync(LinuxAmd64, null, CancellationToken.None));

        Assert.Equal(ErrorCatalogue.LocalImageExportFailed.Code, error.Code);
        Assert.Contains("podman save", error.Message);
        Assert.Contains("image not known", error.Message);
    }

    [Fact]
    public async Task WhatPodmanLoadRefuses_IsACodedError_WithItsAnswer()
    {
        var podman = await LocalDaemon.ConnectAsync(LocalDaemonKind.Podman, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ContainerException>(() => podman.LoadAsync(
            (input, token) => input.WriteAsync(new byte[4096], token).AsTask(), CancellationToken.None));

        Assert.Equal(ErrorCatalogue.LocalRegistryLoadFailed.Code, error.Code);
        Assert.Contains("podman load", error.Message);
    }
}
