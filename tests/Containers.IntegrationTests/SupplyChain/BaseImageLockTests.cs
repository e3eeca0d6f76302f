using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Content;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Registry;
using Containers.Oci.Stores;

namespace Containers.IntegrationTests.SupplyChain;

/// <summary>
/// Issue 14's pinned base, end to end: a publish records its base's digest in containers.lock.json; when the base's
/// tag is re-pushed with other content, locked mode fails (CONTAINER5610) and moves no tag; the refresh target
/// records the new digest, and locked mode passes again. The base is a copy under a test-owned repository.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class BaseImageLockTests(RegistryFixture registry) : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly RegistryClientProvider _clients = new();

    public void Dispose()
    {
        _clients.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task LockedMode_FailsWhenTheBaseTagMoves_AndPassesAfterTheLockIsRefreshed()
    {
        await registry.EnsureBaseImagesAsync();
        var context = new StoreContext(_clients, new ContentCache(_temp.Combine("cache")), NullBuildLog.Instance);
        var runtime = await new RegistryStore(registry.BaseImage("runtime"), context).ReadImageAsync(new Platform("amd64", "linux"), "linux-x64", CancellationToken.None);
        var baseRef = ImageReference.Parse($"{registry.Registry}/{RegistryFixture.UniqueRepository("lock-base")}:10.0");
        var baseStore = new RegistryStore(baseRef, context);
        await baseStore.WriteAsync(runtime, ["10.0"], CancellationToken.None);

        var project = await TestProject.FromSampleAsync("ConsoleApp", folderName: "LockApp");
        var repository = RegistryFixture.UniqueRepository("lock-app");
        string[] common = [$"ContainerRegistry={registry.Registry}", $"ContainerRepository={repository}", "ContainerImageTag=1.0", $"ContainerBaseImage={baseRef}"];
        var lockFile = Path.Combine(project.Directory, "containers.lock.json");

        await project.PublishContainerAsync([.. common, "ContainerBaseImageLock=true"]);
        Assert.Equal(runtime.Digest.ToString(), LockedDigest(lockFile, baseRef));
        var published = await DigestAsync($"{registry.Registry}/{repository}:1.0");

        // The tag moves: the same repository and tag, other content (one more layer).
        var moved = ImageMutation.AppendLayers(runtime, [(new TestImages(_temp.Combine("layers")).Layer(("etc/moved", "yes")), "ADD moved")], DateTimeOffset.UnixEpoch);
        await baseStore.WriteAsync(moved, ["10.0"], CancellationToken.None);

        var failed = await project.PublishContainerAsync([.. common, "ContainerBaseImageLockedMode=true"], expectSuccess: false);
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("CONTAINER5610", failed.StandardOutput);
        Assert.Contains(runtime.Digest.ToString(), failed.StandardOutput);
        Assert.DoesNotContain("   at ", failed.StandardOutput);   // a coded error, no stack trace
        Assert.Equal(published, await DigestAsync($"{registry.Registry}/{repository}:1.0"));
        Assert.Equal(runtime.Digest.ToString(), LockedDigest(lockFile, baseRef));

        await project.DotnetAsync(["msbuild", project.ProjectFile, "-t:ContainerRefreshBaseImageLock", "-nologo", "-nodeReuse:false", $"-p:ContainerBaseImage={baseRef}"]);
        Assert.Equal(moved.Digest.ToString(), LockedDigest(lockFile, baseRef));

        await project.PublishContainerAsync([.. common, "ContainerBaseImageLockedMode=true"]);
        var config = await Skopeo.InspectConfigAsync($"{registry.Registry}/{repository}:1.0");
        Assert.Equal(moved.Digest.ToString(), config["config"]!["Labels"]!["org.opencontainers.image.base.digest"]!.GetValue<string>());
    }

    private static string? LockedDigest(string lockFile, ImageReference baseRef)
        => JsonNode.Parse(File.ReadAllText(lockFile))!["baseImages"]![baseRef.ToString()]?["linux/amd64"]?.GetValue<string>();

    private static async Task<string> DigestAsync(string image) => (await Skopeo.InspectAsync(image))["Digest"]!.GetValue<string>();
}
