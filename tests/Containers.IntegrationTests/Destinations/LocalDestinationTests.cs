using System.Diagnostics;
using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Stores;
using Containers.Oci.Errors;
using Containers.Oci.Model;

namespace Containers.IntegrationTests.Destinations;

/// <summary>
/// Images that never touch a registry: loaded into podman, written to archives, added to an OCI layout folder. Each is
/// checked with the tools people use on them: podman load and run, skopeo inspect and copy.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class LocalDestinationTests(RegistryFixture registry, LocalImagesFixture local) : IClassFixture<LocalImagesFixture>
{
    private const string Greeting = "Hello from ConsoleApp in a container: user=app";

    private async Task<string> BaseImageAsync()
    {
        await registry.EnsureBaseImagesAsync();
        return registry.BaseImage("runtime").ToString();
    }

    [Fact]
    public async Task Podman_WithoutARegistry_LoadsTheImageUnderEveryTag_AndItRuns()
    {
        var name = LocalImagesFixture.UniqueName("podman");
        local.RemoveLater($"localhost/{name}:1.0");
        local.RemoveLater($"localhost/{name}:2.0");

        var result = await local.PublishAsync([$"ContainerBaseImage={await BaseImageAsync()}", "LocalRegistry=Podman", $"ContainerRepository={name}", "ContainerImageTags=1.0%3B2.0"]);

        Assert.Contains("streamed to 'podman load'", LocalPublish.Summary(result));
        Assert.Contains(Greeting, await Podman.RunAsync($"{name}:2.0"));
        Assert.Equal([$"localhost/{name}:1.0", $"localhost/{name}:2.0"], await LocalPublish.PodmanTagsAsync($"localhost/{name}"));
    }

    [Fact]
    public async Task Detection_ChoosesPodman_WhenDockerHasNoEngine()
    {
        if (await DockerEngineAnswersAsync()) return;   // this machine runs docker: detection rightly chooses it

        var daemon = await LocalDaemon.DetectAsync(Oci.Diagnostics.NullBuildLog.Instance, CancellationToken.None);

        Assert.Equal(LocalDaemonKind.Podman, daemon.Kind);
    }

    [Fact]
    public async Task Docker_WithTheCommandButNoEngine_IsACodedErrorWithinSeconds_NamingTheCommandAndItsAnswer()
    {
        if (await DockerEngineAnswersAsync() || !await CommandExistsAsync("docker")) return;

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ContainerException>(() => LocalDaemon.ConnectAsync(LocalDaemonKind.Docker, CancellationToken.None));
        clock.Stop();

        Assert.Equal("CONTAINER1012", error.Code);
        Assert.Contains("docker version", error.Message);
        Assert.Contains("daemon", error.Message, StringComparison.OrdinalIgnoreCase);   // docker's own words
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");

        // And through MSBuild: the error, and no work before it (no base image read, no layer written).
        var result = await local.PublishAsync([$"ContainerBaseImage={await BaseImageAsync()}", "LocalRegistry=Docker"], expectSuccess: false);
        Assert.Contains("error CONTAINER1012", result.StandardOutput);
        Assert.DoesNotContain("Building image", result.StandardOutput);
    }

    [Fact]
    public async Task ADockerArchive_NamedTarGz_IsGzip_AndPodmanLoadsIt_AndSkopeoReadsIt()
    {
        using var folder = new TempDirectory();
        var name = LocalImagesFixture.UniqueName("docker-archive");
        local.RemoveLater($"localhost/{name}:latest");

        // A folder gets <repository>.tar.gz, as in the SDK; a .gz name means gzip.
        await local.PublishAsync([$"ContainerBaseImage={await BaseImageAsync()}", $"ContainerArchiveOutputPath={folder.Path}/", "ContainerImageFormat=Docker", $"ContainerRepository={name}"]);

        var archive = folder.Combine($"{name}.tar.gz");
        Assert.Equal(new byte[] { 0x1f, 0x8b }, File.ReadAllBytes(archive)[..2]);
        var manifest = JsonNode.Parse((await Skopeo.RunAsync("inspect", "--raw", $"oci-archive:{archive}")).StandardOutput)!;
        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", manifest["mediaType"]!.GetValue<string>());
        await ProcessRunner.RunAsync("podman", ["load", "-q", "-i", archive]);
        Assert.Contains(Greeting, await Podman.RunAsync($"{name}:latest"));

        // Uncompressed, the same archive is a docker-archive skopeo reads as one.
        var plain = folder.Combine("plain.tar");
        await using (var input = new System.IO.Compression.GZipStream(File.OpenRead(archive), System.IO.Compression.CompressionMode.Decompress))
        await using (var output = File.Create(plain))
        {
            await input.CopyToAsync(output);
        }
        var inspected = JsonNode.Parse((await Skopeo.RunAsync("inspect", $"docker-archive:{plain}")).StandardOutput)!;
        Assert.Equal("amd64", inspected["Architecture"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnOciArchive_NamedTar_IsPlain_WithEveryTag_ForSkopeoAndPodman()
    {
        using var folder = new TempDirectory();
        var name = LocalImagesFixture.UniqueName("oci-archive");
        var archive = folder.Combine("image.tar");
        local.RemoveLater($"localhost/{name}:1.0");
        local.RemoveLater($"localhost/{name}:2.0");

        await registry.EnsureBaseImagesAsync();

        var result = await local.PublishInProcessAsync(registry.BaseImage("runtime"), ImageDestination.Archive(archive, new ImageName(null, name)), ["1.0", "2.0"], MediaTypes.OciManifest);

        Assert.Equal("ustar", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(archive), 257, 5));
        var digest = result.Image.Digest.ToString();
        var byName = JsonNode.Parse((await Skopeo.RunAsync("inspect", $"oci-archive:{archive}:{name}:2.0")).StandardOutput)!;
        Assert.Equal(digest, byName["Digest"]!.GetValue<string>());
        var raw = JsonNode.Parse((await Skopeo.RunAsync("inspect", "--raw", $"oci-archive:{archive}:{name}:1.0")).StandardOutput)!;
        Assert.Equal(MediaTypes.OciManifest, raw["mediaType"]!.GetValue<string>());
        Assert.Equal(JsonNode.Parse((await Skopeo.RunAsync("inspect", "--config", $"oci-archive:{archive}:{name}:1.0")).StandardOutput)!["rootfs"]!.ToJsonString(),
            JsonNode.Parse((await Skopeo.RunAsync("inspect", "--config", $"docker-archive:{archive}")).StandardOutput)!["rootfs"]!.ToJsonString());

        await ProcessRunner.RunAsync("podman", ["load", "-q", "-i", archive]);
        Assert.Equal([$"localhost/{name}:1.0", $"localhost/{name}:2.0"], await LocalPublish.PodmanTagsAsync($"localhost/{name}"));
    }

    [Fact]
    public async Task AnOciLayout_KeepsEveryImageWrittenToIt_AndSkopeoCopiesOneToARegistry_ThatRuns()
    {
        using var folder = new TempDirectory();
        var layout = folder.Combine("layout");
        var first = LocalImagesFixture.UniqueName("layout-a");
        var second = LocalImagesFixture.UniqueName("layout-b");

        await local.PublishAsync([$"ContainerBaseImage={await BaseImageAsync()}", $"ContainerOciLayoutPath={layout}", $"ContainerRepository={first}", "ContainerImageTag=1.0"]);
        await local.PublishInProcessAsync(registry.BaseImage("runtime"), ImageDestination.Layout(layout, new ImageName(null, second)), ["1.0"]);

        // The named entries are the images; the SBOM and provenance referrers are entries without a name (docs/supply-chain.md).
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!["manifests"]!.AsArray().Where(m => m!["annotations"]?["org.opencontainers.image.ref.name"] is not null).ToList();
        Assert.Equal([$"{first}:1.0", $"{second}:1.0"], index.Select(m => m!["annotations"]!["org.opencontainers.image.ref.name"]!.GetValue<string>()));
        var inspected = JsonNode.Parse((await Skopeo.RunAsync("inspect", $"oci:{layout}:{first}:1.0")).StandardOutput)!;
        Assert.Equal(index[0]!["digest"]!.GetValue<string>(), inspected["Digest"]!.GetValue<string>());

        var pushed = $"{registry.Registry}/{RegistryFixture.UniqueRepository("from-layout")}:1.0";
        await Skopeo.RunAsync("copy", "--dest-tls-verify=false", $"oci:{layout}:{first}:1.0", $"docker://{pushed}");
        local.RemoveLater(pushed);
        await Podman.PullAsync(pushed);
        Assert.Contains(Greeting, await Podman.RunAsync(pushed));
    }

    private static async Task<bool> DockerEngineAnswersAsync()
        => await CommandExistsAsync("docker")
           && (await ProcessRunner.RunAsync("docker", ["version", "--format", "{{.Server.Version}}"], new ProcessOptions { CheckExitCode = false, Timeout = TimeSpan.FromSeconds(20) })).ExitCode == 0;

    private static async Task<bool> CommandExistsAsync(string command)
        => (await ProcessRunner.RunAsync("sh", ["-c", $"command -v {command}"], new ProcessOptions { CheckExitCode = false })).ExitCode == 0;
}
