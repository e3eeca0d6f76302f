using System.Text.Json.Nodes;
using Containers.IntegrationTests.Destinations;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Names;
using Containers.Oci.Publishing;
using Containers.Oci.Registry;
using Containers.Oci.Stores;

namespace Containers.IntegrationTests.Faults;

/// <summary>
/// Many publishes of different projects at once into one registry and one content cache. The images go to the
/// registry by its address (<c>127.0.0.1:PORT</c>) while their base is named <c>localhost:PORT</c>: two registries by
/// name, so no base layer can be mounted and every publish needs the base layers' bytes from the shared cache, where
/// they race to download them.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class ConcurrentPublishTests(RegistryFixture registry, LocalImagesFixture local, ITestOutputHelper output) : IClassFixture<LocalImagesFixture>, IDisposable
{
    private readonly TempDirectory _temp = new("containers-it-concurrent-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Ten_publishes_at_once_in_one_process_each_with_its_own_clients_give_ten_complete_images_and_a_clean_cache()
    {
        await registry.EnsureBaseImagesAsync();
        var cache = _temp.Combine("cache");
        const int count = 10;
        var targets = Enumerable.Range(0, count).Select(i => new ImageReference(registry.LoopbackRegistry, RegistryFixture.UniqueRepository($"concurrent{i}"))).ToList();
        var requests = Enumerable.Range(0, count).Select(i => Request(i, targets[i], cache)).ToList();

        // Every publish waits at the same gate, so they start together: ten builds in ten processes, without the processes.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var publishes = requests.Select(request => Task.Run(async () =>
        {
            await gate.Task;
            using var publisher = new ContainerPublisher(NullBuildLog.Instance, new RegistryClientOptions { Environment = new CredentialStores(_temp.Combine("credentials")).Empty() });
            return await publisher.PublishAsync(request, CancellationToken.None);
        })).ToList();
        gate.SetResult();
        var results = await Task.WhenAll(publishes);

        Assert.Equal(count, results.Select(r => r.Image.Digest.ToString()).Distinct().Count());
        var baseLayers = await BaseLayerDigestsAsync("runtime");
        for (var i = 0; i < count; i++)
        {
            var tagged = new ImageReference(targets[i].Registry, targets[i].Repository, "1.0");
            var image = await PublishOutcome.AssertCompleteAsync(tagged, _temp.Combine("read-back"));
            Assert.Equal(results[i].Image.Digest, image.Digest);
            Assert.Equal(baseLayers, image.Layers.Take(baseLayers.Count).Select(l => l.Descriptor.Digest));
        }
        // The cache holds the base's layers and its config, each once under its own digest, and nothing half-written.
        Assert.Equal((await BaseImageBlobs.CachedAsync(registry.BaseImage("runtime").ToString())).Order(StringComparer.Ordinal), PublishOutcome.AssertCacheUsable(cache));
    }

    [Fact]
    public async Task Three_dotnet_publish_processes_of_different_projects_at_once_share_one_cache_and_each_push_a_complete_image()
    {
        await registry.EnsureBaseImagesAsync();
        var cache = _temp.Combine("cache");
        using var web = await TestProject.FromSampleAsync("WebApp");
        using var alpha = await TestProject.FromAssetAsync("ThreeApps", "Alpha");
        // The apps are compiled first (two at once), so the three container builds that follow overlap in time.
        await Task.WhenAll(web.DotnetAsync(["publish", web.ProjectFile, "-c", "Release", "-nologo", "-nodeReuse:false"]),
            alpha.DotnetAsync(["publish", alpha.ProjectFile, "-c", "Release", "-nologo", "-nodeReuse:false"]));
        var projects = new[] { (Project: local.Project, Base: "runtime"), (Project: web, Base: "aspnet"), (Project: alpha, Base: "runtime") };
        var repositories = projects.Select(p => RegistryFixture.UniqueRepository("process-" + p.Project.Name.ToLowerInvariant())).ToList();

        var publishes = projects.Select((p, i) => LocalPublish.RunAsync(p.Project,
            [$"ContainerRegistry={registry.LoopbackRegistry}", $"ContainerRepository={repositories[i]}", "ContainerImageTags=1.0",
             $"ContainerBaseImage={registry.BaseImage(p.Base)}"], cache)).ToList();
        var results = await Task.WhenAll(publishes);

        var digests = new List<string>();
        for (var i = 0; i < projects.Length; i++)
        {
            output.WriteLine(LocalPublish.Summary(results[i]));
            var image = await PublishOutcome.AssertCompleteAsync(new ImageReference(registry.LoopbackRegistry, repositories[i], "1.0"), _temp.Combine("read-back"));
            digests.Add(image.Digest.ToString());
        }
        Assert.Equal(projects.Length, digests.Distinct().Count());
        var baseBlobs = (await BaseImageBlobs.CachedAsync(registry.BaseImage("runtime").ToString()))
            .Union(await BaseImageBlobs.CachedAsync(registry.BaseImage("aspnet").ToString())).Order(StringComparer.Ordinal);
        Assert.Equal(baseBlobs, PublishOutcome.AssertCacheUsable(cache));
    }

    /// <summary>The shared ConsoleApp publish folder, copied with one file of its own, so each image differs; its own work folder.</summary>
    private ContainerPublishRequest Request(int index, ImageReference target, string cache)
    {
        var folder = _temp.Combine($"app{index}", "publish");
        CopyDirectory(local.Project.PublishDirectory(), folder);
        File.WriteAllText(Path.Combine(folder, "variant.txt"), $"variant {index}\n");
        return new ContainerPublishRequest
        {
            BaseImage = registry.BaseImage("runtime"),
            Platform = PublishOutcome.LinuxAmd64,
            RuntimeIdentifier = "linux-x64",
            PublishDirectory = folder,
            AppDirectory = "/app/",
            DepsFile = Path.Combine(folder, "ConsoleApp.deps.json"),
            Settings = new ImageSettings { Entrypoint = ["dotnet", "/app/ConsoleApp.dll"], WorkingDirectory = "/app/" },
            Destination = ImageDestination.Registry(target),
            Tags = ["1.0"],
            WorkDirectory = _temp.Combine($"app{index}", "obj"),
            CacheDirectory = cache,
        };
    }

    private Task<IReadOnlyList<string>> BaseLayerDigestsAsync(string name) => BaseImageBlobs.LayersAsync(registry.BaseImage(name).ToString());

    internal static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
