using Containers.Oci.Errors;
using Containers.Oci.Model;
using Containers.Oci.Registry;
using Containers.Testing.Registry;
using static Containers.Oci.Tests.Registry.InMemory.TestContent;

namespace Containers.Oci.Tests.Registry.InMemory;

/// <summary>The real client's tag listing against the in-memory registry: sorted, across pages, and a coded error for a missing repository.</summary>
public sealed class TagListTests
{
    private readonly InMemoryRegistry _registry = new();

    private void Tag(string repository, params string[] tags)
    {
        var config = Config();
        _registry.AddBlob(repository, config);
        var manifest = Manifest(Describe(config, MediaTypes.OciConfig));
        foreach (var tag in tags) _registry.AddManifest(repository, manifest, MediaTypes.OciManifest, tag);
    }

    [Fact]
    public async Task ListTags_GivesEveryTag_Sorted()
    {
        Tag("team/app", "latest", "1.0", "1.0.1");
        using var client = new RegistryClient(Host, _registry.ClientOptions());

        Assert.Equal(["1.0", "1.0.1", "latest"], await client.ListTagsAsync("team/app"));
    }

    [Fact]
    public async Task ListTags_FollowsTheNextPageLinks_OfARegistryThatCutsTheList()
    {
        var tags = Enumerable.Range(0, 7).Select(i => $"v{i}").ToArray();
        Tag("app", tags);
        _registry.TagPageSize = 3;
        using var client = new RegistryClient(Host, _registry.ClientOptions());

        Assert.Equal(tags, await client.ListTagsAsync("app"));
        Assert.Equal(3, _registry.Requests.Count(r => r.ToString().Contains("/tags/list", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ListTags_OfAMissingRepository_IsTheRegistrysCodedAnswer_NamingIt()
    {
        using var client = new RegistryClient(Host, _registry.ClientOptions());

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.ListTagsAsync("nothing/here"));

        Assert.Equal(ErrorCatalogue.RegistryProtocolError, error.Error);
        Assert.Contains("NAME_UNKNOWN", error.Message);
        Assert.Contains("nothing/here", error.Message);
    }
}
