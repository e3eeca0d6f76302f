using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Errors;
using Containers.Oci.Model;
using Containers.Oci.Registry;

namespace Containers.IntegrationTests.Registry;

/// <summary>Each registry operation against a real registry (CNCF Distribution), by name and by loopback address.</summary>
[Collection(RegistryCollection.Name)]
public sealed class RegistryClientTests(RegistryFixture fixture) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Host(bool byAddress) => byAddress ? fixture.LoopbackRegistry : fixture.Registry;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ping_reaches_a_plain_http_registry_by_localhost_and_by_127_0_0_1(bool byAddress)
    {
        using var client = new RegistryClient(Host(byAddress));

        await client.PingAsync();

        Assert.True(client.Endpoint.IsInsecure);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_uploaded_blob_exists_and_reads_back_verified(bool byAddress)
    {
        using var client = new RegistryClient(Host(byAddress));
        var repository = RegistryFixture.UniqueRepository("blob");
        var layer = new TestImages(_temp.Path).Layer(("hello.txt", "hello"));

        Assert.False(await client.BlobExistsAsync(repository, layer.Descriptor.ParsedDigest));
        await client.UploadBlobAsync(repository, layer.Descriptor, () => File.OpenRead(layer.Path));

        Assert.True(await client.BlobExistsAsync(repository, layer.Descriptor.ParsedDigest));
        Assert.Equal(File.ReadAllBytes(layer.Path), await client.GetBlobBytesAsync(repository, layer.Descriptor));
    }

    [Fact]
    public async Task A_blob_above_the_monolithic_limit_is_streamed_with_patch_then_put()
    {
        using var client = new RegistryClient(fixture.LoopbackRegistry, new RegistryClientOptions { MonolithicUploadLimit = 0 });
        var repository = RegistryFixture.UniqueRepository("chunked");
        var layer = new TestImages(_temp.Path).Layer(("big.txt", new string('x', 200_000)));

        await client.UploadBlobAsync(repository, layer.Descriptor, () => File.OpenRead(layer.Path));

        Assert.Equal(File.ReadAllBytes(layer.Path), await client.GetBlobBytesAsync(repository, layer.Descriptor));
    }

    [Fact]
    public async Task A_blob_downloads_to_a_file_only_once_verified()
    {
        using var client = new RegistryClient(fixture.Registry);
        var repository = RegistryFixture.UniqueRepository("download");
        var layer = new TestImages(_temp.Path).Layer(("a.txt", "a"));
        await client.UploadBlobAsync(repository, layer.Descriptor, () => File.OpenRead(layer.Path));
        var destination = _temp.Combine("downloads", "layer.tar.gz");

        await client.DownloadBlobAsync(repository, layer.Descriptor, destination);

        Assert.Equal(File.ReadAllBytes(layer.Path), File.ReadAllBytes(destination));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(destination)!));
    }

    [Theory]
    [InlineData(+1)]
    [InlineData(-1)]
    public async Task A_blob_that_does_not_match_its_descriptor_fails_and_leaves_no_file(int sizeError)
    {
        using var client = new RegistryClient(fixture.Registry);
        var repository = RegistryFixture.UniqueRepository("mismatch");
        var layer = new TestImages(_temp.Path).Layer(("a.txt", "a"));
        await client.UploadBlobAsync(repository, layer.Descriptor, () => File.OpenRead(layer.Path));
        var wrong = layer.Descriptor with { Size = layer.Descriptor.Size + sizeError };
        var folder = _temp.Combine("downloads");
        Directory.CreateDirectory(folder);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.DownloadBlobAsync(repository, wrong, Path.Combine(folder, "layer.tar.gz")));

        Assert.Equal(ErrorCatalogue.DigestMismatch.Code, error.Code);
        Assert.Contains(layer.Descriptor.Digest, error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public async Task A_blob_mounts_from_another_repository_of_the_same_registry()
    {
        using var client = new RegistryClient(fixture.Registry);
        var source = RegistryFixture.UniqueRepository("mount-from");
        var target = RegistryFixture.UniqueRepository("mount-to");
        var layer = new TestImages(_temp.Path).Layer(("a.txt", "a"));
        await client.UploadBlobAsync(source, layer.Descriptor, () => File.OpenRead(layer.Path));

        Assert.True(await client.TryMountBlobAsync(target, layer.Descriptor.ParsedDigest, source));
        Assert.True(await client.BlobExistsAsync(target, layer.Descriptor.ParsedDigest));
    }

    [Fact]
    public async Task A_mount_the_registry_declines_returns_false()
    {
        using var client = new RegistryClient(fixture.Registry);
        var layer = new TestImages(_temp.Path).Layer(("never-pushed.txt", "x"));

        Assert.False(await client.TryMountBlobAsync(RegistryFixture.UniqueRepository("mount-to"), layer.Descriptor.ParsedDigest, RegistryFixture.UniqueRepository("empty")));
    }

    [Fact]
    public async Task A_manifest_reads_back_by_tag_and_by_digest_with_the_same_bytes()
    {
        using var client = new RegistryClient(fixture.LoopbackRegistry);
        var repository = RegistryFixture.UniqueRepository("manifest");
        var image = await PushRawAsync(client, repository, "v1");

        var byTag = await client.GetManifestAsync(repository, "v1");
        var byDigest = await client.GetManifestAsync(repository, image.Digest.ToString());

        Assert.Equal(image.RawManifest, byTag.Content);
        Assert.Equal(image.Digest, byTag.Digest);
        Assert.Equal(MediaTypes.OciManifest, byTag.MediaType);
        Assert.Equal(image.RawManifest, byDigest.Content);
    }

    [Theory]
    [InlineData("it/no-such-repository", "latest")]
    [InlineData(null, "no-such-tag")]
    public async Task A_missing_repository_or_tag_is_CONTAINER1015(string? repository, string tag)
    {
        using var client = new RegistryClient(fixture.Registry);
        repository ??= RegistryFixture.UniqueRepository("tagged");
        if (tag == "no-such-tag") await PushRawAsync(client, repository, "v1");

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync(repository, tag));

        Assert.Equal(ErrorCatalogue.RepositoryNotFound.Code, error.Code);
        Assert.Contains(fixture.Registry, error.Message);
        Assert.Contains(tag, error.Message);
    }

    [Fact]
    public async Task A_closed_port_is_CONTAINER1017_naming_the_registry_within_seconds()
    {
        var registry = $"127.0.0.1:{ClosedPort()}";
        using var client = new RegistryClient(registry);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync("any/thing", "latest"));

        Assert.Equal(ErrorCatalogue.RegistryUnreachable.Code, error.Code);
        Assert.Contains($"'{registry}'", error.Message);
        Assert.DoesNotContain("   at ", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    /// <summary>A port nothing listens on: bound once to get a free one, then released.</summary>
    internal static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task<Containers.Oci.Images.IImage> PushRawAsync(RegistryClient client, string repository, string tag)
    {
        var layer = new TestImages(_temp.Path).Layer(("a.txt", "a"));
        var image = TestImages.Image([layer]);
        await client.UploadBlobAsync(repository, layer.Descriptor, () => File.OpenRead(layer.Path));
        await client.UploadBlobAsync(repository, image.Manifest.Config, () => new MemoryStream(image.RawConfig));
        await client.PutManifestAsync(repository, tag, image.RawManifest, image.MediaType);
        return image;
    }
}
