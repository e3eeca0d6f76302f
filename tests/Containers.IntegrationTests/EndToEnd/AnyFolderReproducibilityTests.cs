using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.EndToEnd;

/// <summary>
/// The same sources in two folders, outside git and with no extra property, give one image digest: a container publish
/// maps source paths (and a project reference's) the way CI builds do. Turning it off shows the folders do differ.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class AnyFolderReproducibilityTests(RegistryFixture registry)
{
    [Fact]
    public async Task The_same_project_copied_into_two_folders_outside_git_gives_one_digest()
    {
        await registry.EnsureBaseImagesAsync();
        // Two copies in two temporary folders (as two CI agents' workspaces); LayeredApp has a project reference (Lib),
        // whose assembly must be mapped too.
        using var first = await TestProject.FromAssetAsync("LayeredApp", "App");
        using var second = await TestProject.FromAssetAsync("LayeredApp", "App");
        Assert.NotEqual(first.Directory, second.Directory);
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(first.Directory)!, ".git")));
        var repository = RegistryFixture.UniqueRepository("anyfolder");

        await PublishAsync(first, repository, "first");
        await PublishAsync(second, repository, "second");
        await PublishAsync(second, repository, "unmapped", "ContainerMapSourcePaths=false");

        var one = await DigestAsync(repository, "first");
        Assert.Equal(one, await DigestAsync(repository, "second"));
        Assert.NotEqual(one, await DigestAsync(repository, "unmapped"));   // the folders are in the binaries without the map
    }

    private Task<ProcessResult> PublishAsync(TestProject project, string repository, string tag, params string[] extra)
        => project.PublishContainerAsync([$"ContainerRegistry={registry.Registry}", $"ContainerRepository={repository}", $"ContainerImageTag={tag}",
            $"ContainerBaseImage={registry.BaseImage("runtime")}", .. extra]);

    private async Task<string> DigestAsync(string repository, string tag)
        => (await Skopeo.InspectAsync($"{registry.Registry}/{repository}:{tag}"))["Digest"]!.GetValue<string>();
}
