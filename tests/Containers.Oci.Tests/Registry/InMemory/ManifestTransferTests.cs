using Containers.Oci.Errors;
using Containers.Oci.Model;
using Containers.Oci.Registry;
using Containers.Testing.Registry;
using static Containers.Oci.Tests.Registry.InMemory.TestContent;

namespace Containers.Oci.Tests.Registry.InMemory;

/// <summary>The real <see cref="RegistryClient"/> putting, checking and reading manifests and indexes in an <see cref="InMemoryRegistry"/>.</summary>
public sealed class ManifestTransferTests
{
    private readonly InMemoryRegistry _registry = new();

    private RegistryClient Client() => new(Host, _registry.ClientOptions());

    /// <summary>A config and a layer in the repository, and a manifest naming them (not yet put).</summary>
    private (byte[] Manifest, Descriptor Config, Descriptor Layer) Image(string repository, int seed = 1)
    {
        var config = Config();
        var layer = Bytes(64, seed);
        _registry.AddBlob(repository, config);
        _registry.AddBlob(repository, layer);
        var configDescriptor = Describe(config, MediaTypes.OciConfig);
        var layerDescriptor = Describe(layer);
        return (Manifest(configDescriptor, layerDescriptor), configDescriptor, layerDescriptor);
    }

    [Fact]
    public async Task A_manifest_put_by_tag_is_stored_byte_for_byte_and_the_tag_names_its_digest()
    {
        var (manifest, _, _) = Image("app");
        using var client = Client();

        var digest = await client.PutManifestAsync("app", "1.0", manifest, MediaTypes.OciManifest);

        Assert.Equal(Digest.Sha256(manifest), digest);
        var held = _registry.Manifest("app", "1.0");
        Assert.NotNull(held);
        Assert.Equal(manifest, held.Content);
        Assert.Equal(MediaTypes.OciManifest, held.MediaType);
        Assert.Equal(new Dictionary<string, string> { ["1.0"] = digest.ToString() }, _registry.Tags("app"));
        var put = Assert.Single(_registry.Requests);
        Assert.Equal(("PUT", "/v2/app/manifests/1.0", 201, MediaTypes.OciManifest), (put.Method, put.Path, put.Status, put.Header("Content-Type")));
    }

    [Fact]
    public async Task A_manifest_put_by_digest_gets_no_tag()
    {
        var (manifest, _, _) = Image("app");
        var digest = Digest.Sha256(manifest);
        using var client = Client();

        Assert.Equal(digest, await client.PutManifestAsync("app", digest.ToString(), manifest, MediaTypes.OciManifest));

        Assert.Equal([digest.ToString()], _registry.Manifests("app"));
        Assert.Empty(_registry.Tags("app"));
    }

    [Fact]
    public async Task The_digest_a_tag_names_is_read_with_a_head_and_an_unknown_tag_is_null()
    {
        var (manifest, _, _) = Image("app");
        using var client = Client();
        var digest = await client.PutManifestAsync("app", "1.0", manifest, MediaTypes.OciManifest);
        _registry.ClearRequests();

        Assert.Equal(digest, await client.GetManifestDigestAsync("app", "1.0"));
        Assert.Null(await client.GetManifestDigestAsync("app", "2.0"));
        Assert.Null(await client.GetManifestDigestAsync("other", "1.0"));

        Assert.Equal(["HEAD 200", "HEAD 404", "HEAD 404"], _registry.Requests.Select(r => $"{r.Method} {r.Status}"));
        Assert.Contains(MediaTypes.OciIndex, _registry.Requests[0].Header("Accept"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_whose_layer_the_repository_lacks_is_refused_with_a_coded_error_naming_the_registry_code()
    {
        var config = Config();
        _registry.AddBlob("app", config);
        var missing = Describe(Bytes(64));
        var manifest = Manifest(Describe(config, MediaTypes.OciConfig), missing);
        using var client = Client();

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.PutManifestAsync("app", "1.0", manifest, MediaTypes.OciManifest));

        Assert.Equal(ErrorCatalogue.RegistryPushFailed.Code, error.Code);
        Assert.Contains("MANIFEST_BLOB_UNKNOWN", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{Host}/app:1.0", error.Message, StringComparison.Ordinal);
        Assert.Empty(_registry.Manifests("app"));
        Assert.Empty(_registry.Tags("app"));
    }

    [Fact]
    public async Task A_blob_in_another_repository_does_not_count_for_a_manifest()
    {
        var (manifest, _, _) = Image("base");
        using var client = Client();

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.PutManifestAsync("app", "1.0", manifest, MediaTypes.OciManifest));

        Assert.Equal(ErrorCatalogue.RegistryPushFailed.Code, error.Code);
    }

    [Fact]
    public async Task An_index_is_put_after_its_manifests_and_reads_back_as_an_index_with_its_media_type()
    {
        using var client = Client();
        var amd64 = Image("app", seed: 1).Manifest;
        var arm64 = Image("app", seed: 2).Manifest;
        await client.PutManifestAsync("app", Digest.Sha256(amd64).ToString(), amd64, MediaTypes.OciManifest);
        await client.PutManifestAsync("app", Digest.Sha256(arm64).ToString(), arm64, MediaTypes.OciManifest);
        var index = Index(Describe(amd64, MediaTypes.OciManifest), Describe(arm64, MediaTypes.OciManifest));

        await client.PutManifestAsync("app", "latest", index, MediaTypes.OciIndex);
        var read = await client.GetManifestAsync("app", "latest");

        Assert.True(read.IsIndex);
        Assert.Equal(index, read.Content);
        Assert.Equal(Digest.Sha256(index), read.Digest);
        var byDigest = await client.GetManifestAsync("app", Digest.Sha256(amd64).ToString());
        Assert.Equal(amd64, byDigest.Content);
        Assert.True(byDigest.IsManifest);
    }

    [Fact]
    public async Task An_index_naming_a_manifest_the_repository_lacks_is_refused()
    {
        var (manifest, _, _) = Image("app");
        using var client = Client();

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.PutManifestAsync("app", "latest", Index(Describe(manifest, MediaTypes.OciManifest)), MediaTypes.OciIndex));

        Assert.Contains("MANIFEST_BLOB_UNKNOWN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_is_served_with_the_media_type_it_was_put_with()
    {
        var config = Config();
        _registry.AddBlob("app", config);
        var docker = OciJson.Serialize(new ImageManifest
        {
            MediaType = MediaTypes.DockerManifest,
            Config = Describe(config, MediaTypes.DockerConfig),
            Layers = [],
        });
        using var client = Client();
        await client.PutManifestAsync("app", "1", docker, MediaTypes.DockerManifest);

        var read = await client.GetManifestAsync("app", "1");

        Assert.Equal(MediaTypes.DockerManifest, read.MediaType);
        Assert.Equal(docker, read.Content);
    }

    [Fact]
    public async Task A_missing_manifest_is_the_not_found_error()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync("app", "1"));

        Assert.Equal(ErrorCatalogue.RepositoryNotFound.Code, error.Code);
    }

    [Fact]
    public async Task Clients_from_one_provider_share_the_registry_and_it_outlives_them()
    {
        var (manifest, _, _) = Image("app");
        using (var provider = new RegistryClientProvider(_registry.ClientOptions()))
        {
            await provider.Get(Host).PutManifestAsync("app", "1", manifest, MediaTypes.OciManifest);
            await provider.Get("localhost:5000").PingAsync();   // another host, the same registry; plain HTTP first, as on loopback
        }

        using var client = Client();   // the provider disposed its clients, and so their handler chains
        Assert.Equal(manifest, (await client.GetManifestAsync("app", "1")).Content);
        Assert.Equal(["https registry.test PUT", "http localhost:5000 GET", "https registry.test GET"], _registry.Requests.Select(r => $"{r.Scheme} {r.Host} {r.Method}"));
    }
}
