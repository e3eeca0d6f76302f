using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.Packages;

/// <summary>
/// ContainerPackage items on a Debian base with a real package database (build/debian-image.sh), proved by running the
/// image with podman: what the packages are for works, dpkg sees them, and a changed byte anywhere fails the publish.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class OsPackageTests(RegistryFixture registry)
{
    [Fact]
    public async Task Packages_AreInstalledIntoALayerOfTheirOwn_AndWorkInTheContainer_AndARepublishReusesIt()
    {
        await registry.EnsureDebianImageAsync();
        using var project = await PackagesAppAsync("libicu72", "tzdata", "curl", "libc6");
        var repository = RegistryFixture.UniqueRepository("packages");
        var image = $"{registry.Registry}/{repository}:latest";
        var resultFile = Path.Combine(project.Directory, "result.json");
        string[] properties = [$"ContainerRegistry={registry.Registry}", $"ContainerRepository={repository}",
            $"ContainerBaseImage={registry.DebianImage}", $"ContainerResultFile={resultFile}"];

        var first = await project.PublishContainerAsync(properties);

        Assert.Contains("libc6 already in the base", first.StandardOutput);
        var packages = JsonNode.Parse(File.ReadAllText(resultFile))!["packages"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("libicu72", packages);
        Assert.Contains("tzdata", packages);
        Assert.Contains("curl", packages);
        Assert.Contains("libcurl4", packages);        // a dependency the base lacks
        Assert.DoesNotContain("libc6", packages);     // one it has
        // The SBOM lists what this publish installed, in the image beside the base, and the base's own packages once.
        var sbom = File.ReadAllText(JsonNode.Parse(File.ReadAllText(resultFile))!["sbom"]![0]!.GetValue<string>());
        Assert.Contains("\"pkg:deb/debian/libicu72@", sbom);
        Assert.Contains("\"containers:installed-by\"", sbom);
        Assert.Single(JsonNode.Parse(sbom)!["components"]!.AsArray(), c => c!["name"]!.GetValue<string>() == "libicu72");
        var digest = (await Skopeo.InspectAsync(image))["Digest"]!.GetValue<string>();
        var layers = (await Skopeo.InspectAsync(image))["Layers"]!.AsArray().Count;
        var baseLayers = (await Skopeo.InspectAsync(registry.DebianImage.ToString()))["Layers"]!.AsArray().Count;
        Assert.True(layers > baseLayers + 1, $"{layers} layers on a base of {baseLayers}: the packages and the app each need their own");

        await Podman.PullAsync(image);
        try
        {
            var output = await Podman.RunAsync(image);
            Assert.Contains("date: Dienstag, 5. März 2024", output);
            Assert.Contains("zone: Europe/Berlin 02:00:00", output);
            Assert.Contains("curl 7.", await PodmanRunAsync("--entrypoint", "curl", image, "--version"));
            var status = await PodmanRunAsync("--entrypoint", "dpkg-query", image, "-W", "-f", "${Package} ${Status}\\n", "libicu72", "tzdata", "curl", "libcurl4", "libc6");
            foreach (var name in new[] { "libicu72", "tzdata", "curl", "libcurl4", "libc6" }) Assert.Contains($"{name} install ok installed", status);
            Assert.Contains("/usr/bin/curl", await PodmanRunAsync("--entrypoint", "dpkg", image, "-L", "curl"));
        }
        finally
        {
            await Podman.RemoveImageAsync(image);
        }

        var second = await project.PublishContainerAsync(properties, true, "-v:d");

        Assert.Equal(digest, (await Skopeo.InspectAsync(image))["Digest"]!.GetValue<string>());
        Assert.Contains("nothing read or downloaded", second.StandardOutput);
        Assert.Contains("packages, reused)", second.StandardOutput);
    }

    [Fact]
    public async Task AnUnknownPackage_FailsWithCONTAINER5806_SuggestingCloseNames_AndPushesNothing()
    {
        await registry.EnsureDebianImageAsync();
        using var project = await PackagesAppAsync("libicu71");
        var repository = RegistryFixture.UniqueRepository("packages-unknown");

        var result = await project.PublishContainerAsync([$"ContainerRegistry={registry.Registry}", $"ContainerRepository={repository}",
            $"ContainerBaseImage={registry.DebianImage}"], expectSuccess: false);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error CONTAINER5806", result.StandardOutput);
        Assert.Contains("'libicu72'", result.StandardOutput);
        Assert.False(await ExistsAsync($"{registry.Registry}/{repository}:latest"));
    }

    /// <summary>A mirror that changes one byte of a .deb, or of the package index: the signed hashes catch both.</summary>
    [Theory]
    [InlineData(".deb", "CONTAINER5805")]
    [InlineData("Packages.gz", "CONTAINER5804")]
    public async Task AChangedByte_FromTheMirror_FailsWithItsCode_AndPushesNothing(string tampered, string code)
    {
        await registry.EnsureDebianImageAsync();
        await using var mirror = new TamperingMirror(AptMirror.Debian(), path => path.EndsWith(tampered, StringComparison.Ordinal));
        using var project = await PackagesAppAsync("tzdata");
        using var cache = new TempDirectory();   // nothing from other tests' downloads: every file comes through the mirror
        var repository = RegistryFixture.UniqueRepository("packages-tampered");

        var result = await project.PublishContainerAsync([$"ContainerRegistry={registry.Registry}", $"ContainerRepository={repository}",
            $"ContainerBaseImage={registry.DebianImage}", $"ContainerCacheDirectory={cache.Path}",
            $"ContainerPackageSource={mirror.Url} bookworm main {AptMirror.Keyring}"], expectSuccess: false);

        Assert.True(mirror.Tampered > 0, $"the mirror changed nothing; it saw {string.Join(", ", mirror.Paths)}");
        Assert.Contains($"error {code}", result.StandardOutput);
        Assert.Contains("Nothing was pushed", result.StandardOutput);
        Assert.False(await ExistsAsync($"{registry.Registry}/{repository}:latest"));
    }

    private static async Task<TestProject> PackagesAppAsync(params string[] packages)
    {
        var project = await TestProject.FromAssetAsync("PackagesApp", ".");
        var items = string.Concat(packages.Select(p => $"    <ContainerPackage Include=\"{p}\" />\n"));
        var text = await File.ReadAllTextAsync(project.ProjectFile);
        await File.WriteAllTextAsync(project.ProjectFile, text.Replace("</Project>", $"  <ItemGroup>\n{items}  </ItemGroup>\n</Project>"));
        return project;
    }

    private static async Task<string> PodmanRunAsync(params string[] args)
        => (await ProcessRunner.RunAsync("podman", ["run", "--rm", .. args], new ProcessOptions { Timeout = TimeSpan.FromMinutes(2) })).StandardOutput;

    private static async Task<bool> ExistsAsync(string image)
        => (await ProcessRunner.RunAsync("skopeo", ["inspect", "--tls-verify=false", "docker://" + image], new ProcessOptions { CheckExitCode = false, Timeout = TimeSpan.FromMinutes(1) })).ExitCode == 0;
}
