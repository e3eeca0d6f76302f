using System.Text.RegularExpressions;
using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.EndToEnd;

/// <summary>Layers by rate of change, extra layers, app ownership, compression, reuse, and reproducibility across folders.</summary>
[Collection(RegistryCollection.Name)]
public sealed partial class LayeringTests(RegistryFixture registry)
{
    private const string ExtraLayers = """
        <Project>
          <ItemGroup>
            <ContainerLayer Include="../extra/settings.conf" TargetPath="/etc/layered/settings.conf" Mode="0600" Owner="1654" />
            <ContainerLayer Include="../extra" TargetPath="/opt/tools" Mode="0755" />
          </ItemGroup>
        </Project>
        """;

    [Fact]
    public async Task AutoLayering_PutsPackagesProjectReferencesAppAndExtras_InLayersOfTheirOwn_AndTheImageRuns()
    {
        await registry.EnsureBaseImagesAsync();
        using var project = (await TestProject.FromAssetAsync("LayeredApp", "App")).WithFile("Directory.Build.targets", ExtraLayers);
        var image = $"{registry.Registry}/{RegistryFixture.UniqueRepository("layered")}:auto";

        await PublishAsync(project, image, "ContainerAppOwnedByUser=true");

        using var layers = await ImageLayers.CopyAsync(image);
        Assert.Equal(2 + 5, layers.LayerDigests.Count); // runtime-deps and runtime, then packages, project references, app and two extras

        var packages = await layers.ListAsync(2);
        Assert.Equal(("drwxr-xr-x", "1654/1654"), (packages["app/"].Mode, packages["app/"].Owner));
        Assert.Equal(("-rw-r--r--", "1654/1654", "1970-01-01"), (packages["app/Newtonsoft.Json.dll"].Mode, packages["app/Newtonsoft.Json.dll"].Owner, packages["app/Newtonsoft.Json.dll"].Date));
        Assert.Contains("app/Microsoft.Data.Sqlite.dll", packages.Keys);
        Assert.Contains("app/runtimes/linux-x64/native/libe_sqlite3.so", packages.Keys);
        Assert.DoesNotContain(packages.Keys, k => k.Contains("layered-app", StringComparison.Ordinal) || k.Contains("Lib.", StringComparison.Ordinal));

        var references = await layers.ListAsync(3);
        Assert.Equal(["app/", "app/Lib.dll", "app/Lib.pdb"], references.Keys.Order(StringComparer.Ordinal));

        var app = await layers.ListAsync(4);
        Assert.Equal(["app/", "app/layered-app", "app/layered-app.deps.json", "app/layered-app.dll", "app/layered-app.pdb", "app/layered-app.runtimeconfig.json"],
            app.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("-rwxr-xr-x", "1654/1654"), (app["app/layered-app"].Mode, app["app/layered-app"].Owner));
        Assert.Equal(("-rw-r--r--", "1654/1654"), (app["app/layered-app.dll"].Mode, app["app/layered-app.dll"].Owner));

        var settings = await layers.ListAsync(5);
        Assert.Equal(new TarEntry("etc/", "drwxr-xr-x", "0/0", "1970-01-01"), settings["etc/"]);
        Assert.Equal(("drwxr-xr-x", "0/0"), (settings["etc/layered/"].Mode, settings["etc/layered/"].Owner));
        Assert.Equal(("-rw-------", "1654/1654"), (settings["etc/layered/settings.conf"].Mode, settings["etc/layered/settings.conf"].Owner));
        Assert.Equal(3, settings.Count);

        var tools = await layers.ListAsync(6);
        Assert.Equal(("-rwxr-xr-x", "0/0"), (tools["opt/tools/tool.sh"].Mode, tools["opt/tools/tool.sh"].Owner));
        Assert.Equal(("-rwxr-xr-x", "0/0"), (tools["opt/tools/settings.conf"].Mode, tools["opt/tools/settings.conf"].Owner));

        await Podman.PullAsync(image);
        var output = await Podman.RunAsync(image);
        Assert.Contains("layered-app: {\"greeting\":\"hello from a project reference\",\"sqlite\":\"ok\"}", output);
        Assert.Contains("app folder: writable", output);
        await Podman.RemoveImageAsync(image);
    }

    [Fact]
    public async Task SelfContainedApp_GetsARuntimeLayer_AndRuns()
    {
        await registry.EnsureBaseImagesAsync();
        using var project = await TestProject.FromAssetAsync("LayeredApp", "App");
        var image = $"{registry.Registry}/{RegistryFixture.UniqueRepository("layered-sc")}:sc";

        await project.PublishContainerAsync(
            [$"ContainerRegistry={registry.Registry}", $"ContainerRepository={Repository(image)}", "ContainerImageTag=sc",
             $"ContainerBaseImage={registry.BaseImage("runtime-deps")}", "RuntimeIdentifier=linux-x64", "SelfContained=true"]);

        using var layers = await ImageLayers.CopyAsync(image);
        Assert.Equal(1 + 4, layers.LayerDigests.Count);
        var runtime = await layers.ListAsync(1);
        Assert.Contains("app/libcoreclr.so", runtime.Keys);
        Assert.Contains("app/System.Private.CoreLib.dll", runtime.Keys);
        Assert.Contains("app/libhostfxr.so", runtime.Keys);
        var packages = await layers.ListAsync(2);
        Assert.Contains("app/libe_sqlite3.so", packages.Keys);
        Assert.Contains("app/Newtonsoft.Json.dll", packages.Keys);
        var app = await layers.ListAsync(4);
        Assert.Contains("app/layered-app", app.Keys);
        Assert.DoesNotContain("app/libcoreclr.so", app.Keys);

        await Podman.PullAsync(image);
        var output = await Podman.RunAsync(image);
        Assert.Contains("\"sqlite\":\"ok\"", output);
        Assert.Contains("app folder: read-only", output);
        await Podman.RemoveImageAsync(image);
    }

    [Fact]
    public async Task SingleLayering_PutsThePublishFolderInOneLayer_AndRuns()
    {
        await registry.EnsureBaseImagesAsync();
        using var project = await TestProject.FromAssetAsync("LayeredApp", "App");
        var image = $"{registry.Registry}/{RegistryFixture.UniqueRepository("layered-single")}:single";

        await PublishAsync(project, image, "ContainerLayering=Single");

        using var layers = await ImageLayers.CopyAsync(image);
        Assert.Equal(2 + 1, layers.LayerDigests.Count);
        var all = await layers.ListAsync(-1);
        Assert.Contains("app/Newtonsoft.Json.dll", all.Keys);
        Assert.Contains("app/Lib.dll", all.Keys);
        Assert.Contains("app/layered-app.dll", all.Keys);

        await Podman.PullAsync(image);
        Assert.Contains("\"sqlite\":\"ok\"", await Podman.RunAsync(image));
        await Podman.RemoveImageAsync(image);
    }

    [Fact]
    public async Task ZstdCompression_GivesOciZstdLayers_ThatRun()
    {
        await registry.EnsureBaseImagesAsync();
        using var project = await TestProject.FromSampleAsync("ConsoleApp");
        var image = $"{registry.Registry}/{RegistryFixture.UniqueRepository("zstd")}:zstd";

        await PublishAsync(project, image, "ContainerLayerCompression=zstd");

        using var layers = await ImageLayers.CopyAsync(image);
        Assert.Equal("application/vnd.oci.image.layer.v1.tar+zstd", layers.LayerMediaTypes[^1]);
        Assert.Contains("app/ConsoleApp.dll", (await layers.ListAsync(-1)).Keys);
        await Podman.PullAsync(image);
        Assert.Contains("Hello from ConsoleApp", await Podman.RunAsync(image));
        await Podman.RemoveImageAsync(image);
    }

    [Fact]
    public async Task Republishing_ReusesUnchangedLayers_AndAnEditChangesOnlyTheAppLayer()
    {
        await registry.EnsureBaseImagesAsync();
        using var project = await TestProject.FromAssetAsync("LayeredApp", "App");
        var repository = RegistryFixture.UniqueRepository("incremental");

        await PublishAsync(project, $"{registry.Registry}/{repository}:one");
        var unchanged = await PublishAsync(project, $"{registry.Registry}/{repository}:two");
        Assert.Matches(Summary(3, 0, 0), unchanged.StandardOutput);

        var program = Path.Combine(project.Directory, "Program.cs");
        await File.AppendAllTextAsync(program, "\n// a one-line edit\nConsole.WriteLine(\"edited\");\n");
        var edited = await PublishAsync(project, $"{registry.Registry}/{repository}:three");
        Assert.Matches(Summary(2, 1, 1), edited.StandardOutput);

        using var one = await ImageLayers.CopyAsync($"{registry.Registry}/{repository}:one");
        using var two = await ImageLayers.CopyAsync($"{registry.Registry}/{repository}:two");
        using var three = await ImageLayers.CopyAsync($"{registry.Registry}/{repository}:three");
        Assert.Equal(one.LayerDigests, two.LayerDigests);
        Assert.Equal(one.LayerDigests.Take(4), three.LayerDigests.Take(4));
        Assert.NotEqual(one.LayerDigests[4], three.LayerDigests[4]);
    }

    [Fact]
    public async Task TwoGitClonesInDifferentFolders_WithDifferentFileTimes_GiveIdenticalDigests_DatedByTheCommit()
    {
        await registry.EnsureBaseImagesAsync();
        using var origin = await TestProject.FromAssetAsync("LayeredApp", "App");
        using var first = await origin.CloneAsync("clone-one");
        using var second = await origin.CloneAsync("another-clone");
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(second.Directory)!, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        }
        var repository = RegistryFixture.UniqueRepository("clones");

        // ContinuousIntegrationBuild maps source paths in the compiled binaries to /_/, as CI builds do; the folders differ.
        await PublishAsync(first, $"{registry.Registry}/{repository}:first", "ContinuousIntegrationBuild=true");
        await PublishAsync(second, $"{registry.Registry}/{repository}:second", "ContinuousIntegrationBuild=true");

        var one = await Skopeo.InspectAsync($"{registry.Registry}/{repository}:first");
        var two = await Skopeo.InspectAsync($"{registry.Registry}/{repository}:second");
        Assert.Equal(one["Digest"]!.GetValue<string>(), two["Digest"]!.GetValue<string>());

        var commitTime = (await ProcessRunner.RunAsync("git", ["log", "-1", "--format=%cI"], new ProcessOptions { WorkingDirectory = first.Directory })).StandardOutput.Trim();
        var created = DateTimeOffset.Parse(one["Created"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(DateTimeOffset.Parse(commitTime, System.Globalization.CultureInfo.InvariantCulture), created);
    }

    private Task<ProcessResult> PublishAsync(TestProject project, string image, params string[] extra)
    {
        var reference = Containers.Oci.Names.ImageReference.Parse(image);
        return project.PublishContainerAsync(
            [$"ContainerRegistry={reference.Registry}", $"ContainerRepository={reference.Repository}", $"ContainerImageTag={reference.Tag}",
             $"ContainerBaseImage={registry.BaseImage("runtime")}", .. extra]);
    }

    private static string Repository(string image) => Containers.Oci.Names.ImageReference.Parse(image).Repository;

    private static Regex Summary(int reused, int written, int uploadedLayersAndConfig)
        => new($@"\({reused} reused, {written} written\); {(uploadedLayersAndConfig == 0 ? 0 : uploadedLayersAndConfig + 1)} blobs? uploaded");
}
