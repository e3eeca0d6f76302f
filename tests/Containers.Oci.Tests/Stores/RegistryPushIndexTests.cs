using Containers.Oci.Images;
using Containers.Testing.Registry;

namespace Containers.Oci.Tests.Stores;

/// <summary>
/// <see cref="Containers.Oci.Stores.RegistryPush.PushIndexAsync"/>: every image by digest, then the index under each
/// tag; and, for every push, the order of the requests: no name ever points at something whose parts are not there.
/// </summary>
public sealed class RegistryPushIndexTests : IDisposable
{
    private readonly StoreBench _bench = new();

    public void Dispose() => _bench.Dispose();

    private IReadOnlyList<ReceivedRequest> ManifestPuts()
        => _bench.Registry.Requests.Where(r => r.Method == "PUT" && r.Path.StartsWith("/v2/app/manifests/", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task An_index_pushes_each_image_by_digest_then_the_index_under_each_tag()
    {
        var index = _bench.TwoPlatformIndex();

        var result = await _bench.Push("app").PushIndexAsync(index, ["1.0", "latest"], []);

        var puts = ManifestPuts();
        Assert.Equal(4, puts.Count);
        Assert.Equal(index.Images.Select(i => $"/v2/app/manifests/{i.Digest}").Order(StringComparer.Ordinal), puts.Take(2).Select(r => r.Path).Order(StringComparer.Ordinal));
        Assert.Equal(["/v2/app/manifests/1.0", "/v2/app/manifests/latest"], puts.Skip(2).Select(r => r.Path));
        Assert.Equal(new Dictionary<string, string> { ["1.0"] = index.Digest.ToString(), ["latest"] = index.Digest.ToString() }, _bench.Registry.Tags("app"));
        Assert.Equal(index.RawManifest, _bench.Registry.Manifest("app", "1.0")!.Content);
        Assert.All(index.Images, i => Assert.Equal(i.RawManifest, _bench.Registry.Manifest("app", i.Digest.ToString())!.Content));
        Assert.Equal(6, result.BlobsUploaded);   // two layers and a config per image
        Assert.Equal(index.Digest, result.Digest);
    }

    [Fact]
    public async Task Per_image_tags_when_given_name_each_platforms_image()
    {
        var index = _bench.TwoPlatformIndex();

        await _bench.Push("app").PushIndexAsync(index, ["1.0"], [["1.0-amd64"], ["1.0-arm64"]]);

        Assert.Equal(new Dictionary<string, string>
        {
            ["1.0"] = index.Digest.ToString(),
            ["1.0-amd64"] = index.Images[0].Digest.ToString(),
            ["1.0-arm64"] = index.Images[1].Digest.ToString(),
        }, _bench.Registry.Tags("app"));
        var puts = ManifestPuts();
        Assert.Equal("/v2/app/manifests/1.0", puts[^1].Path);   // the index's tag last, after both platform tags
    }

    [Fact]
    public async Task A_second_push_of_an_index_sends_no_blob_and_no_manifest()
    {
        var index = _bench.TwoPlatformIndex();
        await _bench.Push("app").PushIndexAsync(index, ["1.0"], []);
        _bench.Registry.ClearRequests();

        var result = await _bench.Push("app").PushIndexAsync(index, ["1.0"], []);

        Assert.True(result.AlreadyPresent);
        Assert.All(_bench.Registry.Requests, r => Assert.Equal("HEAD", r.Method));
        Assert.DoesNotContain(_bench.Registry.Requests, r => r.Path.Contains("/blobs/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_manifest_of_an_image_is_put_before_its_blobs_are_there()
    {
        var image = _bench.Images.Image(layers: 3);

        await _bench.Push("app").PushAsync(image, ["1.0", "2.0"]);

        var requests = _bench.Registry.Requests;
        var firstManifest = ManifestPuts().Min(r => r.Sequence);
        foreach (var blob in image.Layers.Select(l => l.Descriptor.Digest).Append(image.Manifest.Config.Digest))
        {
            Assert.True(ArrivalOf(requests, blob) < firstManifest, $"{blob} arrived after a manifest was put");
        }
    }

    [Fact]
    public async Task No_tag_names_an_index_before_every_image_and_blob_in_it_is_there()
    {
        var index = _bench.TwoPlatformIndex();

        await _bench.Push("app").PushIndexAsync(index, ["1.0", "latest"], []);

        var requests = _bench.Registry.Requests;
        var puts = ManifestPuts();
        var firstTag = puts.Where(r => !r.Path.Contains("sha256:", StringComparison.Ordinal)).Min(r => r.Sequence);
        foreach (var image in index.Images)
        {
            var put = Assert.Single(puts, r => r.Path.EndsWith(image.Digest.ToString(), StringComparison.Ordinal));
            Assert.True(put.Sequence < firstTag, $"the index was tagged before {image.Digest} was put");
            foreach (var blob in image.Layers.Select(l => l.Descriptor.Digest).Append(image.Manifest.Config.Digest))
            {
                Assert.True(ArrivalOf(requests, blob) < put.Sequence, $"{blob} arrived after its manifest {image.Digest}");
            }
        }
    }

    /// <summary>When a blob came to be in the repository: the upload that completed it (PUT or POST with its digest), or its mount.</summary>
    private static int ArrivalOf(IReadOnlyList<ReceivedRequest> requests, string digest)
        => requests.Single(r => r.Status == 201 && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal)
                                && Uri.UnescapeDataString(r.Query).Split('&').Any(p => p == "digest=" + digest || p == "mount=" + digest)).Sequence;
}
