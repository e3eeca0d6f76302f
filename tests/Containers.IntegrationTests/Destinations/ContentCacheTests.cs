using System.Diagnostics;
using System.Security.Cryptography;
using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.Destinations;

/// <summary>
/// The content cache of base layers under real builds: two at once against one empty cache, and one killed in the
/// middle of a download. Destinations that need the base layers' bytes (archives) make the builds download them.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class ContentCacheTests(RegistryFixture registry, LocalImagesFixture local, ITestOutputHelper output) : IClassFixture<LocalImagesFixture>
{
    [Fact]
    public async Task TwoPublishesAtOnce_OfDifferentProjects_IntoOneEmptyCache_GiveValidImages_AndEachBlobOnce()
    {
        await registry.EnsureBaseImagesAsync();
        using var cache = new TempDirectory("containers-it-cache-");
        using var archives = new TempDirectory();
        using var web = await TestProject.FromSampleAsync("WebApp");
        // Slowed down, so the two builds download at the same time; aspnet has runtime's layers, so they race for them.
        await using var proxy = new ThrottlingProxy(registry.Port, bytesPerSecond: 3L * 1024 * 1024);

        // The web app builds from scratch, the console app (built before) only its image: start the console app's
        // publish when the web app's downloads begin, so both are in the cache at once.
        var webPublish = LocalPublish.RunAsync(web, [$"ContainerBaseImage={proxy.Registry}/dotnet/aspnet:10.0", $"ContainerArchiveOutputPath={archives.Combine("web.tar.gz")}"], cache.Path);
        await WaitUntilAsync(() => webPublish.IsCompleted || Directory.Exists(Path.Combine(cache.Path, "tmp")) && Directory.EnumerateFiles(Path.Combine(cache.Path, "tmp")).Any());
        var consolePublish = LocalPublish.RunAsync(local.Project, [$"ContainerBaseImage={proxy.Registry}/dotnet/runtime:10.0", $"ContainerArchiveOutputPath={archives.Combine("console.tar")}"], cache.Path);
        await Task.WhenAll(webPublish, consolePublish);
        output.WriteLine(LocalPublish.Summary(await webPublish));
        output.WriteLine(LocalPublish.Summary(await consolePublish));

        // Valid images: skopeo checks every blob's digest as it copies.
        foreach (var archive in new[] { "console.tar", "web.tar.gz" })
        {
            using var copy = new TempDirectory();
            await Skopeo.RunAsync("copy", $"oci-archive:{archives.Combine(archive)}", $"dir:{copy.Path}");
        }
        // Each blob once, under its own digest, and nothing half-written left behind: the base layers, and the configs
        // the images were read from.
        var entries = Directory.GetFiles(Path.Combine(cache.Path, "blobs", "sha256"));
        var baseBlobs = (await BaseBlobDigestsAsync("runtime")).Union(await BaseBlobDigestsAsync("aspnet")).Order().ToList();
        Assert.Equal(baseBlobs, entries.Select(e => "sha256:" + Path.GetFileName(e)).Order());
        foreach (var entry in entries) Assert.Equal(Path.GetFileName(entry), await Sha256Async(entry));
        Assert.Empty(Directory.GetFiles(Path.Combine(cache.Path, "tmp")));

        // The documented targets list the cache, then prune it.
        var targets = await ProcessRunner.RunAsync("dotnet", ["msbuild", web.ProjectFile, "-t:ContainerCacheList;ContainerCachePrune", "-p:ContainerCachePruneMaxSize=1KB", "-nologo"],
            new ProcessOptions { WorkingDirectory = web.Directory, Environment = new Dictionary<string, string?>(DotnetEnvironment.Variables) { ["CONTAINERS_CACHE_DIR"] = cache.Path } });
        Assert.Contains($"{baseBlobs.Count} blob(s)", targets.StandardOutput);
        Assert.All(baseBlobs, d => Assert.Contains(d, targets.StandardOutput));
        Assert.Contains($"Removed {baseBlobs.Count} blob(s)", targets.StandardOutput);
        Assert.Empty(Directory.GetFiles(Path.Combine(cache.Path, "blobs", "sha256")));
    }

    [Fact]
    public async Task APublishKilledWhileBaseLayersDownload_LeavesNothingUsable_AndTheNextPublishVerifiesWhatItReuses()
    {
        await registry.EnsureBaseImagesAsync();
        using var cache = new TempDirectory("containers-it-cache-");
        using var archives = new TempDirectory();
        var project = local.Project;
        await using var proxy = new ThrottlingProxy(registry.Port, bytesPerSecond: 3L * 1024 * 1024);
        string[] properties = [$"ContainerBaseImage={proxy.Registry}/dotnet/runtime:10.0", $"ContainerArchiveOutputPath={archives.Combine("app.tar")}"];
        var layers = await BaseLayerDigestsAsync("runtime");

        // Kill the build when one of the runtime image's layers is in the cache and another is half there (the config,
        // in the cache before them, does not count).
        List<string> CompleteLayers() => Directory.Exists(Path.Combine(cache.Path, "blobs", "sha256"))
            ? Directory.GetFiles(Path.Combine(cache.Path, "blobs", "sha256")).Select(f => "sha256:" + Path.GetFileName(f)).Where(layers.Contains).ToList()
            : [];
        var killed = await KillWhenAsync(project, properties, cache.Path,
            () => Directory.Exists(Path.Combine(cache.Path, "tmp"))
                  && Directory.GetFiles(Path.Combine(cache.Path, "tmp"), "*.partial").Any(f => new FileInfo(f).Length > 1024 * 1024)
                  && CompleteLayers().Count >= 1);
        Assert.True(killed, "the build finished before its download could be interrupted");
        Assert.False(File.Exists(archives.Combine("app.tar")));
        var complete = CompleteLayers();
        var partials = Directory.GetFiles(Path.Combine(cache.Path, "tmp"), "*.partial");
        Assert.NotEmpty(partials);
        Assert.True(complete.Count < layers.Count);

        proxy.BytesPerSecond = 0;
        var result = await LocalPublish.RunAsync(project, properties, cache.Path);
        output.WriteLine(LocalPublish.Summary(result));

        foreach (var digest in complete) Assert.Contains($"{digest[..19]}: reused from the cache (digest verified)", result.StandardOutput);
        foreach (var digest in layers.Except(complete)) Assert.Contains($"{digest[..19]}: downloaded from {proxy.Registry}/dotnet/runtime into the cache", result.StandardOutput);
        using var copy = new TempDirectory();
        await Skopeo.RunAsync("copy", $"docker-archive:{archives.Combine("app.tar")}", $"dir:{copy.Path}");
        foreach (var entry in Directory.GetFiles(Path.Combine(cache.Path, "blobs", "sha256"))) Assert.Equal(Path.GetFileName(entry), await Sha256Async(entry));
        Assert.All(partials, partial => Assert.True(File.Exists(partial), "the killed build's partial file is not an entry, and is left for pruning once stale"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(50);
    }

    /// <summary>Starts a publish and kills it (the whole process tree) once <paramref name="condition"/> holds; false if it ended first.</summary>
    private async Task<bool> KillWhenAsync(TestProject project, IEnumerable<string> properties, string cacheDirectory, Func<bool> condition)
    {
        var options = LocalPublish.Options(project, cacheDirectory);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = options.WorkingDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in LocalPublish.Arguments(project, properties)) start.ArgumentList.Add(argument);
        foreach (var (name, value) in options.Environment!)
        {
            if (value is null) start.Environment.Remove(name); else start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        try
        {
            while (!process.HasExited && DateTime.UtcNow < deadline)
            {
                if (condition())
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                    return true;
                }
                await Task.Delay(20);
            }
            return false;
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await Task.WhenAny(drain, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }

    private Task<IReadOnlyList<string>> BaseLayerDigestsAsync(string name) => BaseImageBlobs.LayersAsync(registry.BaseImage(name).ToString());

    /// <summary>What a publish that copies the base keeps in the content cache: its layers and its config.</summary>
    private Task<IReadOnlyList<string>> BaseBlobDigestsAsync(string name) => BaseImageBlobs.CachedAsync(registry.BaseImage(name).ToString());

    private static async Task<string> Sha256Async(string path)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
    }
}
