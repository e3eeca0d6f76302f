using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.EndToEnd;

/// <summary>The same project published twice gives the same image, and its layer holds what we expect, read by tar.</summary>
[Collection(RegistryCollection.Name)]
public sealed class ReproducibleImageTests(RegistryFixture registry)
{
    [Fact]
    public async Task PublishingAnUnchangedProjectTwice_GivesTheSameDigest_AndTheLayerHasTheExpectedFilesAndModes()
    {
        await registry.EnsureBaseImagesAsync();
        using var project = await TestProject.FromSampleAsync("ConsoleApp");
        var repository = RegistryFixture.UniqueRepository("twice");
        string[] properties = [$"ContainerRegistry={registry.Registry}", $"ContainerRepository={repository}", $"ContainerBaseImage={registry.BaseImage("runtime")}"];

        await project.PublishContainerAsync([.. properties, "ContainerImageTag=first"]);
        await project.PublishContainerAsync([.. properties, "ContainerImageTag=second"]);

        var first = await Skopeo.InspectAsync($"{registry.Registry}/{repository}:first");
        var second = await Skopeo.InspectAsync($"{registry.Registry}/{repository}:second");
        Assert.Equal(first["Digest"]!.GetValue<string>(), second["Digest"]!.GetValue<string>());

        using var copy = new TempDirectory();
        await Skopeo.RunAsync("copy", "--src-tls-verify=false", $"docker://{registry.Registry}/{repository}:first", $"dir:{copy.Path}");
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(copy.Combine("manifest.json")))!;
        var appLayer = manifest["layers"]!.AsArray().Last()!["digest"]!.GetValue<string>().Split(':')[1];

        var listing = await ProcessRunner.RunAsync("tar", "--numeric-owner", "--full-time", "-tvzf", copy.Combine(appLayer));
        var entries = listing.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(parts => parts[^1], parts => (Mode: parts[0], Owner: parts[1], Date: parts[3]));

        Assert.Equal(("drwxr-xr-x", "0/0", "1970-01-01"), entries["app/"]);
        Assert.Equal(("-rw-r--r--", "0/0", "1970-01-01"), entries["app/ConsoleApp.dll"]);
        Assert.Equal(("-rw-r--r--", "0/0", "1970-01-01"), entries["app/ConsoleApp.runtimeconfig.json"]);
        Assert.Equal(("-rwxr-xr-x", "0/0", "1970-01-01"), entries["app/ConsoleApp"]);
        var published = Directory.GetFiles(project.PublishDirectory()).Select(f => "app/" + Path.GetFileName(f)).Order(StringComparer.Ordinal);
        Assert.Equal(published, entries.Keys.Where(k => k != "app/").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SourceDateEpoch_SetsTheImageTime()
    {
        await registry.EnsureBaseImagesAsync();
        using var project = await TestProject.FromSampleAsync("ConsoleApp");
        var repository = RegistryFixture.UniqueRepository("epoch");

        await project.DotnetAsync(["publish", project.ProjectFile, "-c", "Release", "-t:PublishContainer", "-nodeReuse:false",
            $"-p:ContainerRegistry={registry.Registry}", $"-p:ContainerRepository={repository}", $"-p:ContainerBaseImage={registry.BaseImage("runtime")}",
            "-p:ContainerImageCreated=2026-03-04T05:06:07Z"]);

        var config = await Skopeo.InspectConfigAsync($"{registry.Registry}/{repository}:latest");
        Assert.Equal("2026-03-04T05:06:07Z", config["created"]!.GetValue<string>());
        Assert.Equal("2026-03-04T05:06:07Z", config["config"]!["Labels"]!["org.opencontainers.image.created"]!.GetValue<string>());
    }
}
