using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.EndToEnd;

/// <summary>One publish, several places: ContainerExtraDestinations sends the same image to more registries and folders.</summary>
[Collection(RegistryCollection.Name)]
public sealed class ExtraDestinationTests(RegistryFixture registry)
{
    [Fact]
    public async Task OnePublish_PushesTheSameImageToTwoRegistries_AndALayout()
    {
        await registry.EnsureBaseImagesAsync();
        using var project = await TestProject.FromSampleAsync("ConsoleApp");
        using var layout = new TempDirectory();
        var repository = RegistryFixture.UniqueRepository("extra");
        // localhost:PORT and 127.0.0.1:PORT are two registries to the client: nothing is mounted or shared between them.
        var mirror = $"{registry.LoopbackRegistry}/{repository}-mirror";

        var result = await project.PublishContainerAsync([
            $"ContainerRegistry={registry.Registry}", $"ContainerRepository={repository}", "ContainerImageTags=1.0%3Blatest",
            $"ContainerBaseImage={registry.BaseImage("runtime")}",
            $"ContainerExtraDestinations={mirror}%3Boci-layout:{layout.Path}"]);

        var digest = await DigestAsync($"{registry.Registry}/{repository}:1.0");
        Assert.StartsWith("sha256:", digest);
        Assert.Equal(digest, await DigestAsync($"{mirror}:1.0"));
        Assert.Equal(digest, await DigestAsync($"{mirror}:latest"));
        var inLayout = await Skopeo.RunAsync("inspect", $"oci:{layout.Path}:{registry.Registry}/{repository}:latest");
        Assert.Equal(digest, JsonNode.Parse(inLayout.StandardOutput)!["Digest"]!.GetValue<string>());
        Assert.Contains($"also pushed {mirror}:1.0, {mirror}:latest", result.StandardOutput);
        Assert.Contains($"also wrote {registry.Registry}/{repository}:1.0", result.StandardOutput);

        await Podman.PullAsync($"{mirror}:1.0");
        Assert.Contains("Hello from ConsoleApp in a container: user=app", await Podman.RunAsync($"{mirror}:1.0"));
    }

    private static async Task<string> DigestAsync(string image) => (await Skopeo.InspectAsync(image))["Digest"]!.GetValue<string>();
}
