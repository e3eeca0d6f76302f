using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Stores;

namespace Containers.Oci.Tests.Stores;

/// <summary>A copy that cannot succeed fails with a coded error, and leaves no name pointing at anything.</summary>
public sealed class ImageCopyFailureTests : IDisposable
{
    private readonly StoreBench _bench = new();

    public void Dispose() => _bench.Dispose();

    private async Task<(IImage Image, string Layout)> ImageInALayoutAsync()
    {
        var image = _bench.Images.Image(layers: 2);
        var layout = _bench.PathFor("layout");
        await _bench.Layout(layout).WriteAsync(image, ["1.0"], CancellationToken.None);
        return (image, layout);
    }

    [Fact]
    public async Task A_destination_that_cannot_be_written_fails_the_copy_before_anything_is_written_anywhere()
    {
        var (_, layout) = await ImageInALayoutAsync();
        var notAFolder = _bench.PathFor("file");
        await File.WriteAllTextAsync(notAFolder, "a file, not a layout");
        var archive = _bench.PathFor("out", "image.tar");
        _bench.Registry.ClearRequests();

        // The writable destinations come first: they would be written before the broken one, were it not checked up front.
        var error = await Assert.ThrowsAsync<ContainerException>(() => ImageCopy.CopyAsync(_bench.Layout(layout),
            [_bench.RegistryStore($"{StoreBench.Host}/app"), _bench.Archive(archive), _bench.Layout(notAFolder)], ["1.0"], null, CancellationToken.None));

        Assert.Equal(ErrorCatalogue.NotAnOciLayout.Code, error.Code);
        Assert.Empty(_bench.Registry.Requests);
        Assert.Empty(_bench.Registry.Repositories);
        Assert.False(File.Exists(archive));
        Assert.Equal("a file, not a layout", await File.ReadAllTextAsync(notAFolder));
    }

    [Fact]
    public async Task An_archive_path_that_is_a_folder_fails_the_copy_before_anything_is_written_anywhere()
    {
        var (_, layout) = await ImageInALayoutAsync();
        var folder = _bench.PathFor("out");
        Directory.CreateDirectory(folder);
        _bench.Registry.ClearRequests();

        var error = await Assert.ThrowsAsync<ContainerException>(() => ImageCopy.CopyAsync(_bench.Layout(layout),
            [_bench.RegistryStore($"{StoreBench.Host}/app"), _bench.Archive(folder)], ["1.0"], null, CancellationToken.None));

        Assert.Equal(ErrorCatalogue.ImageWriteFailed.Code, error.Code);
        Assert.Empty(_bench.Registry.Requests);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
        Assert.DoesNotContain(Directory.GetFiles(_bench.PathFor()), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_layout_blob_changed_after_writing_fails_a_copy_out_of_it_with_a_digest_mismatch_and_the_registry_gets_no_manifest()
    {
        var (image, layout) = await ImageInALayoutAsync();
        Tamper(layout, image.Layers[1]);

        var error = await Assert.ThrowsAsync<ContainerException>(() => ImageCopy.CopyAsync(_bench.Layout(layout),
            [_bench.RegistryStore($"{StoreBench.Host}/app")], ["1.0"], null, CancellationToken.None));

        Assert.Equal(ErrorCatalogue.DigestMismatch.Code, error.Code);
        Assert.Contains(image.Layers[1].Descriptor.Digest, error.Message, StringComparison.Ordinal);
        Assert.Empty(_bench.Registry.Manifests("app"));
        Assert.Empty(_bench.Registry.Tags("app"));
        Assert.Null(_bench.Registry.Blob("app", image.Layers[1].Descriptor.Digest));
    }

    [Fact]
    public async Task A_layout_blob_changed_after_writing_fails_a_copy_to_an_archive_and_to_a_layout_and_neither_names_the_image()
    {
        var (image, layout) = await ImageInALayoutAsync();
        Tamper(layout, image.Layers[0]);
        var archive = _bench.PathFor("out", "image.tar");
        var otherLayout = _bench.PathFor("other-layout");

        var toArchive = await Assert.ThrowsAsync<ContainerException>(() => ImageCopy.CopyAsync(_bench.Layout(layout), [_bench.Archive(archive)], ["1.0"], null, CancellationToken.None));
        var toLayout = await Assert.ThrowsAsync<ContainerException>(() => ImageCopy.CopyAsync(_bench.Layout(layout), [_bench.Layout(otherLayout)], ["1.0"], null, CancellationToken.None));

        Assert.Equal(ErrorCatalogue.DigestMismatch.Code, toArchive.Code);
        Assert.Equal(ErrorCatalogue.DigestMismatch.Code, toLayout.Code);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(archive)!));   // not even a temporary file left
        Assert.False(File.Exists(Path.Combine(otherLayout, "index.json")));
        Assert.False(File.Exists(Path.Combine(otherLayout, "blobs", "sha256", image.Layers[0].Descriptor.ParsedDigest.Encoded)));
    }

    /// <summary>Flips one byte of a layer's blob in the layout, keeping its size, so only its digest tells.</summary>
    private static void Tamper(string layout, ILayer layer)
    {
        var path = Path.Combine(layout, "blobs", "sha256", layer.Descriptor.ParsedDigest.Encoded);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }
}
