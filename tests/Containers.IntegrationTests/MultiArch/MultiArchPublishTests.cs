using System.Diagnostics;
using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.MultiArch;

/// <summary>
/// One publish for linux-x64;linux-arm64 gives one image index under the requested tags, read back by skopeo and
/// podman: each platform's image, its architecture, its settings, and the app running on both (arm64 under qemu).
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class MultiArchPublishTests(RegistryFixture registry, ITestOutputHelper output)
{
    private static readonly ProcessOptions PodmanOptions = new() { Timeout = TimeSpan.FromMinutes(3) };

    [Fact]
    public async Task LinuxX64AndArm64_GiveOneIndex_ThatPodmanPullsAndRunsPerPlatform()
    {
        await registry.EnsureBaseImagesAsync();
        var project = await MultiArchProject.GetAsync();
        var repository = RegistryFixture.UniqueRepository("multiarch");
        string[] properties = [$"ContainerRegistry={registry.Registry}", $"ContainerRepository={repository}", "ContainerImageTags=1.0%3Bstable",
            $"ContainerBaseImageRegistry={registry.Registry}"];

        var clock = Stopwatch.StartNew();
        var first = await project.PublishContainerAsync(properties);
        output.WriteLine($"first publish: {clock.Elapsed.TotalSeconds:0.0} s");

        // One index, both platforms, arm64 with its variant.
        var raw = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry.Registry}/{repository}:1.0"))!;
        output.WriteLine(raw.ToJsonString());
        Assert.Equal("application/vnd.oci.image.index.v1+json", raw["mediaType"]!.GetValue<string>());
        var platforms = raw["manifests"]!.AsArray().Select(m => m!["platform"]!).ToList();
        Assert.Equal(2, platforms.Count);
        Assert.Contains(platforms, p => p["os"]!.GetValue<string>() == "linux" && p["architecture"]!.GetValue<string>() == "amd64" && p["variant"] is null);
        Assert.Contains(platforms, p => p["os"]!.GetValue<string>() == "linux" && p["architecture"]!.GetValue<string>() == "arm64" && p["variant"]?.GetValue<string>() == "v8");
        Assert.Equal(raw.ToJsonString(), JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry.Registry}/{repository}:stable"))!.ToJsonString());

        // Every setting intact on both platforms, values with ':' included.
        foreach (var arch in new[] { "amd64", "arm64" })
        {
            var config = (JsonObject)JsonNode.Parse((await Skopeo.RunAsync("inspect", "--config", "--tls-verify=false", "--override-arch", arch,
                $"docker://{registry.Registry}/{repository}:1.0")).StandardOutput)!;
            Assert.Equal(arch, config["architecture"]!.GetValue<string>());
            Assert.Equal(MultiArchProject.LabelValue, config["config"]!["Labels"]!["url"]!.GetValue<string>());
            Assert.Contains($"MULTI={MultiArchProject.VariableValue}", config["config"]!["Env"]!.AsArray().Select(e => e!.GetValue<string>()));
            Assert.NotNull(config["config"]!["ExposedPorts"]!["9090/tcp"]);
            // Self-contained per RID: the apphost is the entrypoint, on the base each inner build inferred (runtime-deps).
            Assert.Equal("/app/ConsoleApp", config["config"]!["Entrypoint"]!.AsArray().Single()!.GetValue<string>());
            Assert.EndsWith("dotnet/runtime-deps:10.0", config["config"]!["Labels"]!["org.opencontainers.image.base.name"]!.GetValue<string>());
        }

        // Pushed by digest only: the requested tags and nothing else (but the referrers' fallback tags, docs/supply-chain.md).
        var tags = JsonNode.Parse((await Skopeo.RunAsync("list-tags", "--tls-verify=false", $"docker://{registry.Registry}/{repository}")).StandardOutput)!["Tags"]!
            .AsArray().Select(t => t!.GetValue<string>()).Where(t => !ReferrerTags.IsFallbackTag(t)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["1.0", "stable"], tags);

        // podman fetches the right image per platform; amd64 runs natively, arm64 under qemu.
        var image = $"{registry.Registry}/{repository}:1.0";
        try
        {
            await PullAndCheckAsync(image, "linux/amd64", "amd64");
            var x64 = await RunAsync(image, "linux/amd64");
            Assert.Contains("Hello from ConsoleApp in a container: user=app os=Linux arch=x64", x64);

            await PullAndCheckAsync(image, "linux/arm64", "arm64");
            if (MultiArchProject.Arm64EmulationEnabled())
            {
                var arm = await RunAsync(image, "linux/arm64");
                Assert.Contains("Hello from ConsoleApp in a container: user=app os=Linux arch=arm64", arm);
            }
            else
            {
                output.WriteLine("NOT RUN: /proc/sys/fs/binfmt_misc/qemu-aarch64 is not enabled, so the arm64 image was pulled and checked but not run (build/prereqs.sh sets up emulation).");
            }
        }
        finally
        {
            await Podman.RemoveImageAsync(image);
        }

        // Unchanged inputs, unchanged index.
        clock.Restart();
        await project.PublishContainerAsync(properties);
        output.WriteLine($"second publish: {clock.Elapsed.TotalSeconds:0.0} s");
        var again = JsonNode.Parse(await Skopeo.InspectRawAsync(image))!;
        Assert.Equal(raw.ToJsonString(), again.ToJsonString());
    }

    [Fact]
    public async Task PlatformTags_AreOptIn_AsTagDashRid()
    {
        await registry.EnsureBaseImagesAsync();
        var project = await MultiArchProject.GetAsync();
        var repository = RegistryFixture.UniqueRepository("multiarch-tags");
        // Written in capitals: normalized with warning CONTAINER2013, which is the same for every platform and said once.
        var published = await project.PublishContainerAsync([$"ContainerRegistry={registry.Registry}", $"ContainerRepository={repository.ToUpperInvariant()}", "ContainerImageTag=2.0",
            $"ContainerBaseImageRegistry={registry.Registry}", "ContainerPublishPlatformTags=true"], true, "-clp:NoSummary");

        Assert.Single(published.StandardOutput.Split('\n'), line => line.Contains("warning CONTAINER2013", StringComparison.Ordinal));

        var tags = JsonNode.Parse((await Skopeo.RunAsync("list-tags", "--tls-verify=false", $"docker://{registry.Registry}/{repository}")).StandardOutput)!["Tags"]!
            .AsArray().Select(t => t!.GetValue<string>()).Where(t => !ReferrerTags.IsFallbackTag(t)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["2.0", "2.0-linux-arm64", "2.0-linux-x64"], tags);
        var arm = await Skopeo.InspectConfigAsync($"{registry.Registry}/{repository}:2.0-linux-arm64");
        Assert.Equal("arm64", arm["architecture"]!.GetValue<string>());
        Assert.Equal("v8", arm["variant"]!.GetValue<string>());
    }

    [Fact]
    public async Task DockerFormat_GivesADockerManifestList_ThatPodmanPullsPerPlatform()
    {
        await registry.EnsureBaseImagesAsync();
        var project = await MultiArchProject.GetAsync();
        var repository = RegistryFixture.UniqueRepository("multiarch-docker");
        await project.PublishContainerAsync([$"ContainerRegistry={registry.Registry}", $"ContainerRepository={repository}", "ContainerImageTag=1.0",
            $"ContainerBaseImageRegistry={registry.Registry}", "ContainerImageFormat=Docker"]);

        var image = $"{registry.Registry}/{repository}:1.0";
        var raw = JsonNode.Parse(await Skopeo.InspectRawAsync(image))!;
        Assert.Equal("application/vnd.docker.distribution.manifest.list.v2+json", raw["mediaType"]!.GetValue<string>());
        var entries = raw["manifests"]!.AsArray().Select(m => m!).ToList();
        Assert.All(entries, m => Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", m["mediaType"]!.GetValue<string>()));
        Assert.Equal(["amd64", "arm64"], entries.Select(m => m["platform"]!["architecture"]!.GetValue<string>()).Order().ToList());
        foreach (var entry in entries)
        {
            var manifest = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry.Registry}/{repository}@{entry["digest"]!.GetValue<string>()}"))!;
            Assert.Equal("application/vnd.docker.container.image.v1+json", manifest["config"]!["mediaType"]!.GetValue<string>());
            Assert.All(manifest["layers"]!.AsArray(), l => Assert.Equal("application/vnd.docker.image.rootfs.diff.tar.gzip", l!["mediaType"]!.GetValue<string>()));
        }

        try
        {
            await PullAndCheckAsync(image, "linux/arm64", "arm64");
            await PullAndCheckAsync(image, "linux/amd64", "amd64");
            Assert.Contains("Hello from ConsoleApp in a container: user=app os=Linux arch=x64", await RunAsync(image, "linux/amd64"));
        }
        finally
        {
            await Podman.RemoveImageAsync(image);
        }
    }

    [Fact]
    public async Task OciLayoutDestination_HoldsTheWholeIndex()
    {
        await registry.EnsureBaseImagesAsync();
        var project = await MultiArchProject.GetAsync();
        using var folder = new TempDirectory("containers-it-multiarch-layout-");
        var layout = folder.Combine("layout");
        await project.PublishContainerAsync([$"ContainerOciLayoutPath={layout}", "ContainerRepository=multiarch", "ContainerImageTag=1.0",
            $"ContainerBaseImageRegistry={registry.Registry}"]);

        var raw = JsonNode.Parse((await Skopeo.RunAsync("inspect", "--raw", $"oci:{layout}:multiarch:1.0")).StandardOutput)!;
        Assert.Equal("application/vnd.oci.image.index.v1+json", raw["mediaType"]!.GetValue<string>());
        Assert.Equal(["amd64", "arm64"], raw["manifests"]!.AsArray().Select(m => m!["platform"]!["architecture"]!.GetValue<string>()).Order().ToList());
        var arm = JsonNode.Parse((await Skopeo.RunAsync("inspect", "--config", "--override-arch", "arm64", $"oci:{layout}:multiarch:1.0")).StandardOutput)!;
        Assert.Equal("arm64", arm["architecture"]!.GetValue<string>());
        Assert.Equal(MultiArchProject.LabelValue, arm["config"]!["Labels"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Archive_HoldsTheWholeIndex_AndPodmanLoadsTheHostsImageFromIt()
    {
        await registry.EnsureBaseImagesAsync();
        var project = await MultiArchProject.GetAsync();
        using var folder = new TempDirectory("containers-it-multiarch-archive-");
        var archive = folder.Combine("multiarch.tar");
        var repository = $"multiarch-archive-{Guid.NewGuid().ToString("N")[..8]}";
        await project.PublishContainerAsync([$"ContainerArchiveOutputPath={archive}", $"ContainerRepository={repository}", "ContainerImageTag=1.0",
            $"ContainerBaseImageRegistry={registry.Registry}"]);

        // The OCI layout inside: one index, both platforms.
        var raw = JsonNode.Parse((await Skopeo.RunAsync("inspect", "--raw", $"oci-archive:{archive}")).StandardOutput)!;
        Assert.Equal("application/vnd.oci.image.index.v1+json", raw["mediaType"]!.GetValue<string>());
        Assert.Equal(["amd64", "arm64"], raw["manifests"]!.AsArray().Select(m => m!["platform"]!["architecture"]!.GetValue<string>()).Order().ToList());
        var arm = JsonNode.Parse((await Skopeo.RunAsync("inspect", "--config", "--override-arch", "arm64", $"oci-archive:{archive}")).StandardOutput)!;
        Assert.Equal("arm64", arm["architecture"]!.GetValue<string>());

        // Docker's manifest.json names the host's image, which is what a load takes.
        var image = $"localhost/{repository}:1.0";
        try
        {
            await ProcessRunner.RunAsync("podman", ["load", "-i", archive], PodmanOptions);
            var arch = await ProcessRunner.RunAsync("podman", ["image", "inspect", "--format", "{{.Architecture}}", image], PodmanOptions);
            Assert.Equal("amd64", arch.StandardOutput.Trim());
            Assert.Contains("arch=x64", await RunAsync(image, "linux/amd64"));
        }
        finally
        {
            await Podman.RemoveImageAsync(image);
        }
    }

    [Fact]
    public async Task PodmanLoad_LoadsTheHostPlatform_AndSaysSo()
    {
        await registry.EnsureBaseImagesAsync();
        var project = await MultiArchProject.GetAsync();
        var repository = $"multiarch-load-{Guid.NewGuid().ToString("N")[..8]}";
        var result = await project.PublishContainerAsync(["LocalRegistry=Podman", $"ContainerRepository={repository}", "ContainerImageTag=1.0",
            $"ContainerBaseImageRegistry={registry.Registry}"]);
        var image = $"localhost/{repository}:1.0";
        try
        {
            Assert.Contains("podman cannot hold an image index; loaded linux/amd64 only", result.StandardOutput);
            var arch = await ProcessRunner.RunAsync("podman", ["image", "inspect", "--format", "{{.Architecture}}", image], PodmanOptions);
            Assert.Equal("amd64", arch.StandardOutput.Trim());
            Assert.Contains("arch=x64", await RunAsync(image, "linux/amd64"));
        }
        finally
        {
            await Podman.RemoveImageAsync(image);
        }
    }

    private static async Task PullAndCheckAsync(string image, string platform, string architecture)
    {
        await ProcessRunner.RunAsync("podman", ["pull", "-q", "--tls-verify=false", "--platform", platform, image], PodmanOptions);
        var inspected = await ProcessRunner.RunAsync("podman", ["image", "inspect", "--format", "{{.Architecture}}", image], PodmanOptions);
        Assert.Equal(architecture, inspected.StandardOutput.Trim());
    }

    private static async Task<string> RunAsync(string image, string platform)
        => (await ProcessRunner.RunAsync("podman", ["run", "--rm", "--platform", platform, image], PodmanOptions)).StandardOutput;
}
