using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.EndToEnd;

/// <summary>One `dotnet publish` of a solution containerizes every project in it that uses the package, side by side.</summary>
[Collection(RegistryCollection.Name)]
public sealed class SolutionPublishTests(RegistryFixture registry)
{
    [Fact]
    public async Task A_solution_with_three_containerizable_projects_publishes_three_images_that_run()
    {
        await registry.EnsureBaseImagesAsync();
        using var project = await TestProject.FromAssetAsync("ThreeApps", "Alpha");
        var solution = Path.Combine(Path.GetDirectoryName(project.Directory)!, "ThreeApps.sln");
        // Each project keeps its own repository (its assembly name); the tag is this test's, so nothing else is taken for it.
        var tag = "sln-" + Guid.NewGuid().ToString("N")[..8];

        await project.DotnetAsync(["publish", solution, "-c", "Release", "-t:PublishContainer", "-nologo", "-nodeReuse:false",
            $"-p:ContainerRegistry={registry.Registry}", $"-p:ContainerBaseImage={registry.BaseImage("runtime")}", $"-p:ContainerImageTag={tag}"]);

        foreach (var app in new[] { "Alpha", "Beta", "Gamma" })
        {
            var image = $"{registry.Registry}/{app.ToLowerInvariant()}:{tag}";
            await Podman.PullAsync(image);
            Assert.Contains($"Hello from {app} in a container", await Podman.RunAsync(image));
        }
    }
}
