using Containers.Oci.Layers;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Layering;

public sealed class LayerCacheTests : IDisposable
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AnUnchangedPlan_IsReused_WithoutWritingAgain()
    {
        var cache = new LayerCache(_temp.Combine("cache"));
        var plan = Plan("a.txt", "content");

        var (first, firstReused) = await cache.GetOrWriteAsync(plan, Time, LayerCompression.Gzip, CancellationToken.None);
        var written = File.GetLastWriteTimeUtc(first.Path);
        var (second, secondReused) = await cache.GetOrWriteAsync(Plan("a.txt", "content"), Time, LayerCompression.Gzip, CancellationToken.None);

        Assert.False(firstReused);
        Assert.True(secondReused);
        // Descriptors carry the key's annotation, a dictionary: compared as the manifest writes them.
        Assert.Equal((Json(first.Descriptor), first.DiffId, first.Path), (Json(second.Descriptor), second.DiffId, second.Path));
        Assert.Equal(written, File.GetLastWriteTimeUtc(second.Path));
    }

    [Theory]
    [InlineData("content!", "a.txt", 1_700_000_000, LayerCompression.Gzip)]
    [InlineData("content", "b.txt", 1_700_000_000, LayerCompression.Gzip)]
    [InlineData("content", "a.txt", 1_700_000_001, LayerCompression.Gzip)]
    [InlineData("content", "a.txt", 1_700_000_000, LayerCompression.Zstd)]
    public void AnyInputThatChangesTheBytes_ChangesTheKey(string content, string name, long seconds, LayerCompression compression)
    {
        var baseline = LayerCache.ComputeKey(Plan("a.txt", "content"), Time, LayerCompression.Gzip, FileDigestMemo.None, CancellationToken.None);

        var other = LayerCache.ComputeKey(Plan(name, content), DateTimeOffset.FromUnixTimeSeconds(seconds), compression, FileDigestMemo.None, CancellationToken.None);

        Assert.NotEqual(baseline, other);
    }

    [Fact]
    public void ModeAndOwner_AreInTheKey()
    {
        var file = _temp.WriteFile("src/x", "x");
        var plain = LayerCache.ComputeKey(new LayerPlanBuilder().AddFile(file, "/app/x", 0b110_100_100).Build("x"), Time, LayerCompression.Gzip, FileDigestMemo.None, CancellationToken.None);
        var executable = LayerCache.ComputeKey(new LayerPlanBuilder().AddFile(file, "/app/x", 0b111_101_101).Build("x"), Time, LayerCompression.Gzip, FileDigestMemo.None, CancellationToken.None);
        var owned = LayerCache.ComputeKey(new LayerPlanBuilder(1654, 1654).AddFile(file, "/app/x", 0b110_100_100).Build("x"), Time, LayerCompression.Gzip, FileDigestMemo.None, CancellationToken.None);

        Assert.Equal(3, new[] { plain, executable, owned }.Distinct().Count());
    }

    [Fact]
    public async Task ARecordWhoseBlobIsGoneOrTruncated_IsIgnored_AndTheLayerWrittenAgain()
    {
        var cache = new LayerCache(_temp.Combine("cache"));
        var (first, _) = await cache.GetOrWriteAsync(Plan("a.txt", "content"), Time, LayerCompression.Gzip, CancellationToken.None);
        await File.WriteAllBytesAsync(first.Path, [1, 2, 3]);

        var (second, reused) = await cache.GetOrWriteAsync(Plan("a.txt", "content"), Time, LayerCompression.Gzip, CancellationToken.None);

        Assert.False(reused);
        Assert.Equal(Json(first.Descriptor), Json(second.Descriptor));
        Assert.Equal(first.Descriptor.Size, new FileInfo(second.Path).Length);
        Assert.Empty(Directory.GetFiles(_temp.Combine("cache"), "*.tmp-*", SearchOption.AllDirectories));
    }

    private static string Json(Containers.Oci.Model.Descriptor descriptor) => System.Text.Encoding.UTF8.GetString(Containers.Oci.Model.OciJson.Serialize(descriptor));

    private LayerPlan Plan(string name, string content)
    {
        var file = _temp.WriteFile("src/" + name, content);
        return new LayerPlanBuilder().AddFile(file, "/app/" + name).Build("app");
    }
}
