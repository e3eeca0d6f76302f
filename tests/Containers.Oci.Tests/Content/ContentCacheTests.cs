using System.Text;
using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Model;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Content;

public sealed class ContentCacheTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (Descriptor Descriptor, byte[] Bytes) Blob(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return (new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256(bytes).ToString(), Size = bytes.Length }, bytes);
    }

    private static Func<CancellationToken, Task<Stream>> Serve(byte[] bytes, Action? onFetch = null)
        => _ =>
        {
            onFetch?.Invoke();
            return Task.FromResult<Stream>(new MemoryStream(bytes));
        };

    [Fact]
    public void ResolveDirectory_PrefersTheProperty_ThenTheVariable_ThenXdg_ThenHome()
    {
        var env = new Dictionary<string, string?> { ["CONTAINERS_CACHE_DIR"] = "/v", ["XDG_CACHE_HOME"] = "/xdg", ["HOME"] = "/home/me" };
        string? Lookup(string name) => env.GetValueOrDefault(name);

        Assert.Equal(Path.GetFullPath("/p"), ContentCache.ResolveDirectory("/p", Lookup));
        Assert.Equal(Path.GetFullPath("/v"), ContentCache.ResolveDirectory(null, Lookup));
        env.Remove("CONTAINERS_CACHE_DIR");
        Assert.Equal(Path.Combine("/xdg", "containers-build"), ContentCache.ResolveDirectory(" ", Lookup));
        env["XDG_CACHE_HOME"] = "relative/is/ignored";
        if (!OperatingSystem.IsWindows()) Assert.Equal(Path.Combine("/home/me", ".cache", "containers-build"), ContentCache.ResolveDirectory(null, Lookup));
    }

    [Fact]
    public async Task GetOrAdd_FetchesOnce_StoresUnderTheDigest_AndALaterBuildReusesIt()
    {
        var (descriptor, bytes) = Blob("layer one");
        var fetches = 0;
        var cache = new ContentCache(_temp.Path);

        var first = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => cache.GetOrAddAsync(descriptor, Serve(bytes, () => Interlocked.Increment(ref fetches)), "test")));
        var later = await new ContentCache(_temp.Path).GetOrAddAsync(descriptor, Serve(bytes, () => Interlocked.Increment(ref fetches)), "test");

        Assert.Equal(1, fetches);
        Assert.All(first, p => Assert.Equal(later, p));
        Assert.Equal(_temp.Combine("blobs", "sha256", descriptor.ParsedDigest.Encoded), later);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(later));
        Assert.Empty(Directory.GetFiles(cache.TemporaryDirectory));
    }

    [Fact]
    public async Task Add_RejectsContentThatIsNotWhatItsDescriptorSays_AndKeepsNothing()
    {
        var (descriptor, _) = Blob("expected");
        var cache = new ContentCache(_temp.Path);

        var wrong = await Assert.ThrowsAsync<ContainerException>(() => cache.AddAsync(descriptor, new MemoryStream(Encoding.UTF8.GetBytes("tampered"))));
        var longer = await Assert.ThrowsAsync<ContainerException>(() => cache.AddAsync(descriptor, new MemoryStream(Encoding.UTF8.GetBytes("expected and more"))));

        Assert.Equal(ErrorCatalogue.DigestMismatch.Code, wrong.Code);
        Assert.Equal(ErrorCatalogue.DigestMismatch.Code, longer.Code);
        Assert.False(File.Exists(cache.PathOf(descriptor.ParsedDigest)));
        Assert.Empty(Directory.GetFiles(cache.TemporaryDirectory));
    }

    [Fact]
    public async Task Reuse_OfADamagedEntry_DiscardsIt_AndFetchesAgain()
    {
        var (descriptor, bytes) = Blob("layer two");
        await new ContentCache(_temp.Path).AddAsync(descriptor, new MemoryStream(bytes));
        var path = new ContentCache(_temp.Path).PathOf(descriptor.ParsedDigest);
        await File.WriteAllTextAsync(path, "layer tw0");   // same size, other bytes: a disk error, or someone's edit
        var log = new ListLog();
        var fetches = 0;

        var cache = new ContentCache(_temp.Path, log);
        var result = await cache.GetOrAddAsync(descriptor, Serve(bytes, () => fetches++), "the registry");

        Assert.Equal(1, fetches);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(result));
        Assert.Contains(log.Details, l => l.Contains("does not match its digest"));
        Assert.Contains(log.Details, l => l.Contains("downloaded from the registry"));
    }

    [Fact]
    public async Task Reuse_OfAnIntactEntry_IsVerifiedAndLogged()
    {
        var (descriptor, bytes) = Blob("layer three");
        await new ContentCache(_temp.Path).AddAsync(descriptor, new MemoryStream(bytes));
        var log = new ListLog();

        var path = await new ContentCache(_temp.Path, log).GetOrAddAsync(descriptor, _ => throw new InvalidOperationException("must not fetch"), "x");

        Assert.True(File.Exists(path));
        Assert.Contains(log.Details, l => l.Contains("reused from the cache (digest verified)"));
    }

    [Fact]
    public async Task ManyWritersOfTheSameBlob_AtOnce_LeaveOneIntactEntry()
    {
        var bytes = new byte[3 * 1024 * 1024];
        new Random(42).NextBytes(bytes);
        var descriptor = new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256(bytes).ToString(), Size = bytes.Length };

        // Separate cache objects, as separate builds would have: nothing shared but the folder.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => new ContentCache(_temp.Path).AddAsync(descriptor, new MemoryStream(bytes)))));

        var usage = ContentCacheInventory.List(_temp.Path);
        var entry = Assert.Single(usage.Entries);
        Assert.Equal(descriptor.ParsedDigest, entry.Digest);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(entry.Path));
        Assert.Equal(0, usage.TemporaryFiles);
    }

    [Fact]
    public async Task AKilledWrite_LeavesOnlyATemporaryFile_ThatNoReaderUses_AndThatIsCleanedOnceStale()
    {
        var (descriptor, bytes) = Blob("layer four");
        var cache = new ContentCache(_temp.Path);
        Directory.CreateDirectory(cache.TemporaryDirectory);
        var partial = Path.Combine(cache.TemporaryDirectory, $"{descriptor.ParsedDigest.Encoded}.0123.partial");
        await File.WriteAllBytesAsync(partial, bytes.AsSpan(0, 4).ToArray());

        Assert.Null(await cache.TryGetAsync(descriptor));
        File.SetLastWriteTimeUtc(partial, DateTime.UtcNow - ContentCache.StaleTemporaryAge - TimeSpan.FromMinutes(1));
        await cache.AddAsync(descriptor, new MemoryStream(bytes));

        Assert.False(File.Exists(partial));
        Assert.NotNull(await cache.TryGetAsync(descriptor));
    }

    [Fact]
    public async Task AddWithoutADigest_ComputesIt()
    {
        var (descriptor, bytes) = Blob("docker-archive layer");

        var (digest, size, path) = await new ContentCache(_temp.Path).AddAsync(new MemoryStream(bytes));

        Assert.Equal(descriptor.ParsedDigest, digest);
        Assert.Equal(bytes.Length, size);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Prune_RemovesTheOldest_FirstByAgeThenBySize()
    {
        var cache = new ContentCache(_temp.Path);
        var now = DateTimeOffset.UtcNow;
        var blobs = new[] { Blob(new string('a', 100)), Blob(new string('b', 100)), Blob(new string('c', 100)) };
        for (var i = 0; i < blobs.Length; i++)
        {
            var path = await cache.AddAsync(blobs[i].Descriptor, new MemoryStream(blobs[i].Bytes));
            File.SetLastWriteTimeUtc(path, (now - TimeSpan.FromDays(10 * i)).UtcDateTime);   // a: today, b: 10 days, c: 20 days
        }

        var byAge = ContentCacheInventory.Prune(_temp.Path, maxBytes: null, maxAge: TimeSpan.FromDays(15), now);
        Assert.Equal(1, byAge.RemovedEntries);
        Assert.Equal(2, byAge.Remaining.Entries.Count);

        var bySize = ContentCacheInventory.Prune(_temp.Path, maxBytes: 150, maxAge: null, now);
        Assert.Equal(blobs[0].Descriptor.ParsedDigest, Assert.Single(bySize.Remaining.Entries).Digest);

        var all = ContentCacheInventory.Prune(_temp.Path, null, null, now);
        Assert.Empty(all.Remaining.Entries);
        Assert.Equal(0, all.Remaining.TotalBytes);
    }

    [Fact]
    public void PruneLimits_ThatAreNotSizesOrAges_AreCONTAINER5211_NamingTheProperty()
    {
        Assert.Equal((1024L, (TimeSpan?)TimeSpan.FromDays(7)), ContentCacheInventory.ParseLimits("1KB", "7d"));
        Assert.Equal(((long?)null, (TimeSpan?)null), ContentCacheInventory.ParseLimits(" ", null));

        var size = Assert.Throws<ContainerException>(() => ContentCacheInventory.ParseLimits("lots", null));
        var age = Assert.Throws<ContainerException>(() => ContentCacheInventory.ParseLimits(null, "soon"));

        Assert.Equal(ErrorCatalogue.InvalidCacheLimit.Code, size.Code);
        Assert.Contains("ContainerCachePruneMaxSize 'lots'", size.Message);
        Assert.Contains("ContainerCachePruneMaxAge 'soon'", age.Message);
    }

    [Fact]
    public async Task AFolderThatCannotBeWritten_IsCONTAINER5210_NamingTheCache()
    {
        var (descriptor, bytes) = Blob("anything");
        var notAFolder = _temp.WriteFile("file", "x");

        var error = await Assert.ThrowsAsync<ContainerException>(() => new ContentCache(Path.Combine(notAFolder, "cache")).AddAsync(descriptor, new MemoryStream(bytes)));

        Assert.Equal(ErrorCatalogue.CacheWriteFailed.Code, error.Code);
        Assert.Contains("CONTAINERS_CACHE_DIR", error.Message);
    }

    [Theory]
    [InlineData("500MB", 500L * 1024 * 1024)]
    [InlineData("2GB", 2L * 1024 * 1024 * 1024)]
    [InlineData("1.5 GiB", 1610612736L)]
    [InlineData("123", 123L)]
    [InlineData("64k", 65536L)]
    public void ByteSize_ReadsSizesAsPeopleWriteThem(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("-1MB")]
    public void ByteSize_RejectsWhatIsNotASize(string text) => Assert.False(ByteSize.TryParse(text, out _));

    [Theory]
    [InlineData("30d", 30 * 24 * 60)]
    [InlineData("12h", 12 * 60)]
    [InlineData("90m", 90)]
    [InlineData("7.00:00:00", 7 * 24 * 60)]
    public void CacheAge_ReadsAgesAsPeopleWriteThem(string text, int minutes)
    {
        Assert.True(CacheAge.TryParse(text, out var age));
        Assert.Equal(TimeSpan.FromMinutes(minutes), age);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-3d")]
    public void CacheAge_RejectsWhatIsNotAnAge(string text) => Assert.False(CacheAge.TryParse(text, out _));
}
