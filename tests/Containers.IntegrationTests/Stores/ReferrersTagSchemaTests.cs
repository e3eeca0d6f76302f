using System.Text;
using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Content;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Names;
using Containers.Oci.Registry;
using Containers.Oci.Stores;

namespace Containers.IntegrationTests.Stores;

/// <summary>
/// The Distribution 2.8 registry has no referrers API: an artifact pushed with a subject is listed under the subject's
/// fallback tag, which other tools read, and a copy with referrers carries it to another registry.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class ReferrersTagSchemaTests(RegistryFixture registry) : IDisposable
{
    private const string SbomType = "application/vnd.cyclonedx+json";
    private readonly TempDirectory _temp = new();
    private readonly RegistryClientProvider _clients = new();

    public void Dispose()
    {
        _clients.Dispose();
        _temp.Dispose();
    }

    private RegistryStore Store(string registryName, string repository)
        => new(ImageReference.Parse($"{registryName}/{repository}:1.0"), new StoreContext(_clients, new ContentCache(_temp.Combine("cache")), NullBuildLog.Instance));

    [Fact]
    public async Task An_artifact_is_listed_under_the_fallback_tag_and_copied_with_its_subject()
    {
        var repository = RegistryFixture.UniqueRepository("referrers");
        var image = TestImages.Image([new TestImages(_temp.Path).Layer(("app/a.txt", "a"))]);
        var source = Store(registry.Registry, repository);
        await source.WriteAsync(image, ["1.0"], CancellationToken.None);
        var sbom = ArtifactBuilder.Build(image, SbomType, [(SbomType, Encoding.UTF8.GetBytes("""{"bomFormat":"CycloneDX","specVersion":"1.6"}"""))]);

        await source.WriteAsync(sbom, [], CancellationToken.None);

        var fallback = $"{registry.Registry}/{repository}:{RegistryReferrers.FallbackTag(image.Digest)}";
        var listed = JsonNode.Parse(await Skopeo.InspectRawAsync(fallback))!["manifests"]!.AsArray().Single()!;
        Assert.Equal(sbom.Digest.ToString(), listed["digest"]!.GetValue<string>());
        Assert.Equal(SbomType, listed["artifactType"]!.GetValue<string>());
        var stored = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry.Registry}/{repository}@{sbom.Digest}"))!;
        Assert.Equal(image.Digest.ToString(), stored["subject"]!["digest"]!.GetValue<string>());

        var target = Store(registry.LoopbackRegistry, repository + "-copy");
        await ImageCopy.CopyAsync(source, [target], ["1.0"], null, CancellationToken.None, referrers: true);

        var copied = Assert.Single(await target.ReferrersAsync(image.Descriptor, CancellationToken.None));
        Assert.Equal(sbom.Digest.ToString(), copied.Digest);
        var read = await target.ReadManifestAsync(copied, CancellationToken.None);
        Assert.Empty(await ImageValidation.CheckAsync(read, CancellationToken.None));
        await using var blob = await read.Layers[0].OpenAsync(CancellationToken.None);
        Assert.Contains("CycloneDX", await new StreamReader(blob).ReadToEndAsync());
    }
}
