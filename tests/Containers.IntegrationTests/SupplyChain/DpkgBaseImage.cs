using System.Collections.Concurrent;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Content;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Registry;
using Containers.Oci.Stores;

namespace Containers.IntegrationTests.SupplyChain;

/// <summary>
/// A fixture base image (aspnet or runtime-deps, amd64) with one more layer: distroless-style dpkg records
/// (<c>/var/lib/dpkg/status.d/&lt;package&gt;</c>) for the Debian packages whose libraries the fixture copied from this
/// machine, taken from this machine's own dpkg database, so they are true. Pushed once per run under a test-owned
/// repository; the shared fixture tags are never touched.
/// </summary>
public static class DpkgBaseImage
{
    /// <summary>The packages that own the loader and the libraries build/base-images.sh copies into runtime-deps.</summary>
    public static readonly string[] Packages = ["libc6", "libgcc-s1", "libstdc++6", "zlib1g"];

    private static readonly ConcurrentDictionary<string, Lazy<Task<ImageReference>>> Pushed = new();

    public static Task<ImageReference> GetAsync(RegistryFixture registry, string baseName)
        => Pushed.GetOrAdd(baseName, name => new Lazy<Task<ImageReference>>(() => PushAsync(registry, name))).Value;

    private static async Task<ImageReference> PushAsync(RegistryFixture registry, string baseName)
    {
        await registry.EnsureBaseImagesAsync();
        using var temp = new TempDirectory();
        using var clients = new RegistryClientProvider();
        var context = new StoreContext(clients, new ContentCache(temp.Combine("cache")), NullBuildLog.Instance);
        var fixture = await new RegistryStore(registry.BaseImage(baseName), context).ReadImageAsync(new Platform("amd64", "linux"), "linux-x64", CancellationToken.None);

        var records = new List<(string, string)>();
        foreach (var package in Packages)
        {
            var status = await ProcessRunner.RunAsync("dpkg-query", ["-s", $"{package}:amd64"], new ProcessOptions());
            records.Add(($"var/lib/dpkg/status.d/{package}", status.StandardOutput.TrimEnd() + "\n"));
        }
        var layer = new TestImages(temp.Combine("layers")).Layer([.. records]);
        var image = ImageMutation.AppendLayers(fixture, [(layer, "ADD status.d /var/lib/dpkg/status.d/")], DateTimeOffset.UnixEpoch);

        var reference = ImageReference.Parse($"{registry.Registry}/{RegistryFixture.UniqueRepository(baseName + "-dpkg")}:10.0");
        await new RegistryStore(reference, context).WriteAsync(image, ["10.0"], CancellationToken.None);
        return reference;
    }

    /// <summary>This machine's version of a package, as dpkg records it.</summary>
    public static async Task<string> VersionAsync(string package)
        => (await ProcessRunner.RunAsync("dpkg-query", ["-W", "-f=${Version}", $"{package}:amd64"], new ProcessOptions())).StandardOutput.Trim();
}
