using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;
using Containers.IntegrationTests.Stores;
using Containers.Oci.Content;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Names;
using Containers.Oci.Registry;
using Containers.Oci.Stores;

namespace Containers.IntegrationTests.Cli;

/// <summary>
/// <c>containerize rebase</c> of an app built by the tool onto a patched copy of the fixture's runtime base (one more
/// layer with one new file, made here with the engine, in a repository of this test's own): the new file is in the
/// running container, the app still runs, and the app's layers keep their digests. Bases the image was not built on,
/// or of another platform, are refused with their codes.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class CliRebaseTests(RegistryFixture registry, CliFixture local) : IClassFixture<CliFixture>
{
    private const string Greeting = "Hello from ConsoleApp in a container: user=app";
    private const string PatchedFile = "etc/containerize-patched.txt";

    [Fact]
    public async Task Rebase_OntoAPatchedBase_RunsWithTheNewFile_AndKeepsTheAppLayers()
    {
        await registry.EnsureBaseImagesAsync();
        var tool = await CliTool.GetAsync();
        var baseImage = registry.BaseImage("runtime");
        var app = $"{registry.Registry}/{RegistryFixture.UniqueRepository("cli-rebase-app")}:1.0";
        using var project = await TestProject.FromSampleAsync("ConsoleApp", folderName: "CliRebaseApp");
        await project.DotnetAsync(["publish", project.ProjectFile, "-c", "Release", "-nologo", "-o", project.PublishDirectory()]);
        await tool.RunAsync("build", project.PublishDirectory(), "--base", baseImage.ToString(), "--to", app);
        var patched = await PushPatchedBaseAsync(baseImage);
        var rebased = $"{registry.Registry}/{RegistryFixture.UniqueRepository("cli-rebased")}:1.0";

        var result = await tool.RunAsync("rebase", "--json", app, "--base", patched, "--to", rebased);

        var before = JsonNode.Parse(await Skopeo.InspectRawAsync(app))!["layers"]!.AsArray().Select(Digest).ToList();
        var after = JsonNode.Parse(await Skopeo.InspectRawAsync(rebased))!["layers"]!.AsArray().Select(Digest).ToList();
        var patchedLayers = JsonNode.Parse(await Skopeo.InspectRawAsync(patched))!["layers"]!.AsArray().Select(Digest).ToList();
        var appLayers = before.Skip(before.Count - 1).ToList();
        Assert.Equal([.. patchedLayers, .. appLayers], after);
        Assert.Equal(appLayers, JsonNode.Parse(result.StandardOutput)!["keptLayers"]!.AsArray().Select(l => l!.GetValue<string>()));
        var labels = (await Skopeo.InspectConfigAsync(rebased))["config"]!["Labels"]!;
        Assert.Equal(patched, labels["org.opencontainers.image.base.name"]!.GetValue<string>());

        local.RemoveLater(rebased);
        await Podman.PullAsync(rebased);
        // The base has no shell or cat: the container runs the app, and the file is copied out of that same container.
        var container = CliFixture.UniqueName("rebased");
        try
        {
            var run = await ProcessRunner.RunAsync("podman", ["run", "--name", container, rebased], new ProcessOptions { Timeout = TimeSpan.FromMinutes(2) });
            Assert.Contains(Greeting, run.StandardOutput);
            var copied = local.Temp.Combine("patched-from-container.txt");
            await ProcessRunner.RunAsync("podman", ["cp", $"{container}:/{PatchedFile}", copied]);
            Assert.Equal("patched by the test", (await File.ReadAllTextAsync(copied)).Trim());
        }
        finally
        {
            await Podman.RemoveAsync(container);
        }
    }

    [Fact]
    public async Task Rebase_IsRefused_WithoutAKnownOldBase_5706_AndOntoAnotherPlatform_1011()
    {
        await registry.EnsureBaseImagesAsync();
        var tool = await CliTool.GetAsync();
        var arm64 = $"{registry.Registry}/{RegistryFixture.UniqueRepository("cli-rebase-arm64")}:10.0";
        await tool.RunAsync("copy", "--platform", "linux/arm64", registry.BaseImage("runtime-deps").ToString(), arm64);
        var target = $"{registry.Registry}/{RegistryFixture.UniqueRepository("cli-rebase-refused")}:1.0";

        // The fixture base records no base of its own.
        var unknown = await tool.RunAsync(["rebase", registry.BaseImage("runtime").ToString(), "--base", arm64, "--to", target], expectSuccess: false);
        var otherPlatform = await tool.RunAsync(["rebase", registry.BaseImage("runtime").ToString(), "--old-base", registry.BaseImage("runtime-deps").ToString(),
            "--base", arm64, "--to", target], expectSuccess: false);

        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("error CONTAINER5706:", unknown.StandardError);
        Assert.Equal(1, otherPlatform.ExitCode);
        Assert.Contains("error CONTAINER1011:", otherPlatform.StandardError);
        var listed = await tool.RunAsync(["ls", target[..target.LastIndexOf(':')]], expectSuccess: false);
        Assert.DoesNotContain("1.0", listed.StandardOutput);
    }

    private static string Digest(JsonNode? layer) => layer!["digest"]!.GetValue<string>();

    /// <summary>The fixture's runtime image plus one layer with one file, pushed under a repository only this test uses.</summary>
    private async Task<string> PushPatchedBaseAsync(ImageReference baseImage)
    {
        using var clients = new RegistryClientProvider();
        var context = new StoreContext(clients, new ContentCache(local.Temp.Combine("cache")), NullBuildLog.Instance);
        var original = await ImageStores.Open(new RegistryLocation(baseImage), context).ReadImageAsync(HostPlatform.Current, null, CancellationToken.None);
        var layer = new TestImages(local.Temp.Combine("layers")).Layer((PatchedFile, "patched by the test"));
        var patched = ImageMutation.AppendLayers(original, [(layer, "containerize test: one patched file")], DateTimeOffset.UnixEpoch);
        var reference = new ImageReference(registry.Registry, RegistryFixture.UniqueRepository("cli-patched-base"));
        await ImageStores.Open(new RegistryLocation(reference), context).WriteAsync(patched, ["10.0"], CancellationToken.None);
        return reference.WithTag("10.0").ToString();
    }
}
