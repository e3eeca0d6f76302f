using Containers.Oci.Images;
using Containers.Oci.Names;
using Containers.Oci.Stores;

namespace Containers.Oci.Tests.Stores;

/// <summary>
/// <see cref="RegistryPush"/> with an <see cref="UploadAhead"/>: a layer uploaded while written is not checked or sent
/// again, yet counted and logged as uploaded by this push; the others are pushed as usual.
/// </summary>
public sealed class RegistryPushUploadAheadTests : IDisposable
{
    private readonly StoreBench _bench = new();

    public void Dispose() => _bench.Dispose();

    [Fact]
    public async Task A_layer_uploaded_ahead_counts_as_uploaded_once_and_is_neither_checked_nor_sent_again()
    {
        var image = _bench.Images.Image(layers: 2);
        var ahead = (FileLayer)image.Layers[0];
        var client = _bench.Clients.Get(StoreBench.Host);
        await using var uploads = new UploadAhead(client, "app", _bench.Log, CancellationToken.None, threshold: 1, partSize: 1);
        var observer = uploads.Observe()!;
        observer.Started(ahead.Path);
        observer.Grew(ahead.Descriptor.Size);
        observer.Completed(ahead.Descriptor.ParsedDigest, ahead.Descriptor.Size);
        var lines = new List<string>();

        var result = await new RegistryPush(_bench.Clients, ImageReference.Parse($"{StoreBench.Host}/app"), lines.Add, uploadAhead: uploads).PushAsync(image, ["1.0"]);

        Assert.Equal((3, 0, 0), (result.BlobsUploaded, result.BlobsSkipped, result.BlobsMounted));
        Assert.Equal(image.Layers.Sum(l => l.Descriptor.Size) + image.Manifest.Config.Size, result.BytesUploaded);
        Assert.Equal(await File.ReadAllBytesAsync(ahead.Path), _bench.Registry.Blob("app", ahead.Descriptor.Digest));
        Assert.Contains(lines, l => l == $"layer {ahead.Descriptor.Digest[..19]}: uploaded while written ({RegistryPushResult.FormatBytes(ahead.Descriptor.Size)})");
        var requests = _bench.Registry.Requests.Select(r => r.ToString()).ToList();
        Assert.DoesNotContain(requests, r => r.StartsWith("HEAD", StringComparison.Ordinal) && r.Contains(ahead.Descriptor.Digest, StringComparison.Ordinal));
        Assert.Equal(3, requests.Count(r => r.StartsWith("PUT /v2/app/blobs/uploads/", StringComparison.Ordinal)));   // each blob closed once
        Assert.Contains(requests, r => r.StartsWith("HEAD", StringComparison.Ordinal) && r.Contains(image.Layers[1].Descriptor.Digest, StringComparison.Ordinal));
        Assert.Equal(image.Digest.ToString(), _bench.Registry.Tags("app")["1.0"]);
    }
}
