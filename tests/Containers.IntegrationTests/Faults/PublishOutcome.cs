using System.Security.Cryptography;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Content;
using Containers.Oci.Diagnostics;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Registry;
using Containers.Oci.Stores;

namespace Containers.IntegrationTests.Faults;

/// <summary>
/// What a publish that ended (well or badly) may have left: a tag that names a complete image or no tag at all, and a
/// content cache of whole, correctly named entries only. Read straight from the registry, never through a proxy.
/// </summary>
internal static class PublishOutcome
{
    public static readonly Platform LinuxAmd64 = new("amd64", "linux");

    /// <summary>
    /// The tag names an image that skopeo reads and whose every blob the registry serves with its digest (read back into a
    /// fresh cache, so nothing the publish cached answers for the registry). Returns the image.
    /// </summary>
    public static async Task<IImage> AssertCompleteAsync(ImageReference tagged, string scratch)
    {
        await Skopeo.InspectAsync(tagged.ToString());
        using var clients = new RegistryClientProvider(new RegistryClientOptions { Environment = new Dictionary<string, string>() });
        var cache = new ContentCache(Path.Combine(scratch, "read-back-" + Guid.NewGuid().ToString("N")[..8]));
        var image = await new RegistryStore(tagged, new StoreContext(clients, cache, NullBuildLog.Instance)).ReadImageAsync(LinuxAmd64, null, CancellationToken.None);
        var problems = await ImageValidation.CheckAsync(image, CancellationToken.None);
        Assert.True(problems.Count == 0, $"{tagged}: {string.Join("; ", problems)}");
        return image;
    }

    /// <summary>The tag is absent, or names a complete image: never a manifest whose blobs are not all there.</summary>
    public static async Task<bool> AssertAbsentOrCompleteAsync(ImageReference tagged, string scratch)
    {
        using var client = new RegistryClient(tagged.Registry, new RegistryClientOptions { Environment = new Dictionary<string, string>() });
        try
        {
            await client.GetManifestAsync(tagged.Repository, tagged.Tag!);
        }
        catch (ContainerException e) when (e.Code == ErrorCatalogue.RepositoryNotFound.Code)
        {
            return false;
        }
        await AssertCompleteAsync(tagged, scratch);
        return true;
    }

    /// <summary>
    /// The content cache holds only whole entries, each named by its own digest, and no temporary file: what the next
    /// publish can use as it is. Returns the entries' digests.
    /// </summary>
    public static IReadOnlyList<string> AssertCacheUsable(string cacheDirectory)
    {
        var temporary = Path.Combine(cacheDirectory, "tmp");
        if (Directory.Exists(temporary)) Assert.Empty(Directory.GetFiles(temporary));
        var blobs = Path.Combine(cacheDirectory, "blobs", "sha256");
        var entries = Directory.Exists(blobs) ? Directory.GetFiles(blobs) : [];
        foreach (var entry in entries) Assert.Equal(Path.GetFileName(entry), Sha256(entry));
        // Besides blobs, only the SBOM's memos of base layers (whole JSON files, renamed into place).
        var memos = Path.Combine(cacheDirectory, Containers.Oci.SupplyChain.SupplyChainStage.MemoFolder);
        var memoFiles = Directory.Exists(memos) ? Directory.GetFiles(memos) : [];
        foreach (var memo in memoFiles)
        {
            Assert.EndsWith(".json", memo);
            System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(memo));
        }
        Assert.Empty(Directory.GetFiles(cacheDirectory, "*", SearchOption.AllDirectories).Except(entries).Except(memoFiles));
        return entries.Select(e => "sha256:" + Path.GetFileName(e)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>No file of a layer cache is a temporary one (<c>.tmp-*</c>): a record or blob half written.</summary>
    public static void AssertNoTemporaryLayerFiles(string layerCacheDirectory)
    {
        if (!Directory.Exists(layerCacheDirectory)) return;
        Assert.DoesNotContain(Directory.GetFiles(layerCacheDirectory, "*", SearchOption.AllDirectories), f => Path.GetFileName(f).Contains(".tmp-", StringComparison.Ordinal));
    }

    public static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
