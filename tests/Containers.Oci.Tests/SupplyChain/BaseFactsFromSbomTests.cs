using System.Text;
using System.Text.Json.Nodes;
using Containers.Oci.Content;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Publishing;
using Containers.Oci.Registry;
using Containers.Oci.Stores;
using Containers.Oci.SupplyChain;
using Containers.Oci.Tests.Support;
using Containers.Testing.Registry;

namespace Containers.Oci.Tests.SupplyChain;

/// <summary>
/// A publish on a machine that has not seen the base (a fresh CI agent) takes the base's OS packages from an SBOM
/// already in the registry, rather than downloading and reading the base's layers: the earlier image's own SBOM when it
/// names the same base, else the base image's SBOM referrer; and reads the layers when neither says.
/// </summary>
public sealed class BaseFactsFromSbomTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly InMemoryRegistry _registry = new();
    private readonly Dictionary<string, TempDirectory> _agents = [];
    private IImage? _base;
    private string _baseLayerDigest = "";

    public void Dispose()
    {
        foreach (var agent in _agents.Values) agent.Dispose();
        _temp.Dispose();
    }

    [Theory]
    [InlineData(SbomFormat.CycloneDx)]
    [InlineData(SbomFormat.Spdx)]
    public async Task AFreshAgent_TakesTheBaseFromTheEarlierImagesSbom_WithoutReadingTheBaseLayers_AndWritesTheSameBase(SbomFormat format)
    {
        using var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions());
        var first = await publisher.PublishAsync(Request("one", format), CancellationToken.None);
        Assert.Contains(_registry.Requests, r => r.Method == "GET" && r.Path.EndsWith(_baseLayerDigest, StringComparison.Ordinal));

        _registry.ClearRequests();
        var log = new ListLog();
        using var fresh = new ContainerPublisher(log, _registry.ClientOptions());
        var second = await fresh.PublishAsync(Request("two", format, app: "edited"), CancellationToken.None);

        Assert.NotEqual(first.Image.Digest, second.Image.Digest);
        Assert.DoesNotContain(_registry.Requests, r => r.Method == "GET" && r.Path.EndsWith(_baseLayerDigest, StringComparison.Ordinal));
        Assert.Contains(log.Details, d => d.Contains("taken from the SBOM of", StringComparison.Ordinal) && d.Contains("(same base)", StringComparison.Ordinal));
        // What the SBOM says of the base is the same, byte for byte, as when the layers were read.
        Assert.Equal(BasePart(await File.ReadAllBytesAsync(first.SbomFiles[0]), format), BasePart(await File.ReadAllBytesAsync(second.SbomFiles[0]), format));
        Assert.Contains("pkg:deb/debian/libc6@2.36?arch=amd64", Encoding.UTF8.GetString(await File.ReadAllBytesAsync(second.SbomFiles[0])), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FactsTakenFromAnSbom_AreRemembered_SoTheAgentsNextPublishLooksForNoSbom_AndWritesTheSameBase()
    {
        using (var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions()))
        {
            await publisher.PublishAsync(Request("one", SbomFormat.CycloneDx), CancellationToken.None);
        }
        ContainerPublishResult fromSbom;
        using (var fresh = new ContainerPublisher(new ListLog(), _registry.ClientOptions()))
        {
            fromSbom = await fresh.PublishAsync(Request("two", SbomFormat.CycloneDx, app: "edited"), CancellationToken.None);
        }

        _registry.ClearRequests();
        var log = new ListLog();
        using var again = new ContainerPublisher(log, _registry.ClientOptions());
        var next = await again.PublishAsync(Request("two", SbomFormat.CycloneDx, app: "edited again"), CancellationToken.None);

        Assert.Contains(log.Details, d => d.Contains("remembered from an SBOM read earlier", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Details, d => d.Contains("taken from the SBOM of", StringComparison.Ordinal));
        Assert.DoesNotContain(_registry.Requests, r => r.Method == "GET" && r.Path.EndsWith(_baseLayerDigest, StringComparison.Ordinal));
        Assert.Equal(BasePart(await File.ReadAllBytesAsync(fromSbom.SbomFiles[0]), SbomFormat.CycloneDx), BasePart(await File.ReadAllBytesAsync(next.SbomFiles[0]), SbomFormat.CycloneDx));
    }

    [Fact]
    public async Task AnEarlierImageOnAnotherBase_IsNotBelieved_AndTheLayersAreRead()
    {
        using (var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions()))
        {
            await publisher.PublishAsync(Request("one", SbomFormat.CycloneDx), CancellationToken.None);
        }
        // The base's tag moves to an image with another package database.
        AddBase("Package: libc6\nStatus: install ok installed\nVersion: 2.37\nArchitecture: amd64\n");

        _registry.ClearRequests();
        var log = new ListLog();
        using var fresh = new ContainerPublisher(log, _registry.ClientOptions());
        var second = await fresh.PublishAsync(Request("two", SbomFormat.CycloneDx), CancellationToken.None);

        Assert.Contains(_registry.Requests, r => r.Method == "GET" && r.Path.EndsWith(_baseLayerDigest, StringComparison.Ordinal));
        Assert.Contains(log.Details, d => d.Contains("does not give the base's OS packages", StringComparison.Ordinal));
        var sbom = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(second.SbomFiles[0]));
        Assert.Contains("libc6@2.37", sbom, StringComparison.Ordinal);
        Assert.DoesNotContain("libc6@2.36", sbom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBasesOwnSbomReferrer_GivesItsPackages_WithoutReadingItsLayers()
    {
        AddBase("Package: libc6\nStatus: install ok installed\nVersion: 2.36\nArchitecture: amd64\n");
        // A CycloneDX SBOM of the base as another tool writes it: nested components, a distro qualifier, upstream with a version.
        var foreign = """
            {"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"type":"container","name":"base"}},
             "components":[{"type":"operating-system","name":"debian","version":"12"},
               {"type":"library","name":"group","components":[
                 {"type":"library","name":"zlib1g","version":"1:1.2.13.dfsg-1","purl":"pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&upstream=zlib%401.2.13&distro=debian-12"}]},
               {"type":"library","name":"Newtonsoft.Json","purl":"pkg:nuget/Newtonsoft.Json@13.0.3"}]}
            """u8.ToArray();
        await AttachToBaseAsync(foreign);

        _registry.ClearRequests();
        var log = new ListLog();
        using var publisher = new ContainerPublisher(log, _registry.ClientOptions());
        var result = await publisher.PublishAsync(Request("one", SbomFormat.CycloneDx), CancellationToken.None);

        Assert.DoesNotContain(_registry.Requests, r => r.Method == "GET" && r.Path.EndsWith(_baseLayerDigest, StringComparison.Ordinal));
        Assert.Contains(log.Details, d => d.Contains("taken from its own SBOM", StringComparison.Ordinal));
        var sbom = JsonNode.Parse(await File.ReadAllBytesAsync(result.SbomFiles[0]))!;
        var baseNode = sbom["components"]!.AsArray().Single(c => c!["bom-ref"]!.GetValue<string>() == "base-image")!;
        var children = baseNode["components"]!.AsArray();
        Assert.Contains(children, c => c!["purl"]?.GetValue<string>() == "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&upstream=zlib");
        Assert.Contains(children, c => c!["type"]!.GetValue<string>() == "operating-system" && c["version"]!.GetValue<string>() == "12");
        // The layer says libc6; the base's own SBOM does not: it was believed, the layer not read.
        Assert.DoesNotContain(children, c => c!["name"]?.GetValue<string>() == "libc6");
        Assert.DoesNotContain(children, c => c!["purl"]?.GetValue<string>()?.StartsWith("pkg:nuget", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task ABaseSbomWithoutOsPackages_IsNotUsed_AndTheLayersAreRead()
    {
        AddBase("Package: libc6\nStatus: install ok installed\nVersion: 2.36\nArchitecture: amd64\n");
        await AttachToBaseAsync("""{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"x","purl":"pkg:nuget/x@1.0.0"}]}"""u8.ToArray());

        await AssertTheLayersAreReadAsync();
    }

    [Fact]
    public async Task TheBasesBuildxAttestation_InItsIndex_GivesItsPackages_WithoutReadingItsLayers()
    {
        AddBase("Package: libc6\nStatus: install ok installed\nVersion: 2.36\nArchitecture: amd64\n");
        // As docker buildx writes a Docker Official Image: the image and, beside it in the index, an attestation
        // manifest whose layer is an in-toto statement with an SPDX predicate (syft's shape: purls with a distro).
        var spdx = """
            {"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"base","packages":[
              {"SPDXID":"SPDXRef-Package-deb-zlib1g","name":"zlib1g","versionInfo":"1:1.2.13.dfsg-1",
               "externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12"}]}]}
            """;
        IndexBaseWithAttestation($$$"""{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://spdx.dev/Document","subject":[{"name":"base","digest":{"sha256":"{{{_base!.Digest.Encoded}}}"}}],"predicate":{{{spdx}}}}""");

        _registry.ClearRequests();
        var log = new ListLog();
        using var publisher = new ContainerPublisher(log, _registry.ClientOptions());
        var result = await publisher.PublishAsync(Request("one", SbomFormat.CycloneDx), CancellationToken.None);

        Assert.DoesNotContain(_registry.Requests, r => r.Method == "GET" && r.Path.EndsWith(_baseLayerDigest, StringComparison.Ordinal));
        Assert.Contains(log.Details, d => d.Contains("taken from its SBOM attestation", StringComparison.Ordinal));
        var sbom = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(result.SbomFiles[0]));
        Assert.Contains("pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64", sbom, StringComparison.Ordinal);
        Assert.DoesNotContain("libc6", sbom, StringComparison.Ordinal);   // the layer's database was not read
    }

    [Fact]
    public async Task ABuildxAttestationWithoutAnSbom_IsNotUsed_AndTheLayersAreRead()
    {
        AddBase("Package: libc6\nStatus: install ok installed\nVersion: 2.36\nArchitecture: amd64\n");
        IndexBaseWithAttestation("""{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v0.2","predicate":{}}""",
            predicateType: "https://slsa.dev/provenance/v0.2");

        await AssertTheLayersAreReadAsync();
    }

    [Fact]
    public async Task APushToTheBasesRegistry_StreamsTheBaseLayersForTheScan_AndKeepsOnlyTheirFacts()
    {
        var request = Request("one", SbomFormat.CycloneDx);
        using (var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions()))
        {
            var result = await publisher.PublishAsync(request, CancellationToken.None);
            Assert.Contains("libc6@2.36", Encoding.UTF8.GetString(await File.ReadAllBytesAsync(result.SbomFiles[0])), StringComparison.Ordinal);
        }
        // The push mounted the base's layer: nothing on this machine reads it again, so it was not stored; its facts were.
        var cache = new ContentCache(request.CacheDirectory!);
        Assert.False(File.Exists(cache.PathOf(Digest.Parse(_baseLayerDigest))));
        Assert.Single(Directory.GetFiles(Path.Combine(request.CacheDirectory!, SupplyChainStage.MemoFolder)));

        _registry.ClearRequests();
        using var again = new ContainerPublisher(new ListLog(), _registry.ClientOptions());
        await again.PublishAsync(Request("one", SbomFormat.CycloneDx, app: "edited"), CancellationToken.None);
        Assert.DoesNotContain(_registry.Requests, r => r.Method == "GET" && r.Path.EndsWith(_baseLayerDigest, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnArchiveDestination_ReadsTheBaseLayersAgain_SoTheScanKeepsThemInTheCache_AndTheyAreDownloadedOnce()
    {
        var request = Request("one", SbomFormat.CycloneDx) with
        {
            Destination = ImageDestination.Archive(_temp.Combine("image.tar"), new ImageName(null, "app")),
        };
        Assert.True(ContainerPublisher.BaseLayersReadAgain(request));
        Assert.False(ContainerPublisher.BaseLayersReadAgain(Request("two", SbomFormat.CycloneDx)));

        using var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions());
        await publisher.PublishAsync(request, CancellationToken.None);

        Assert.True(File.Exists(new ContentCache(request.CacheDirectory!).PathOf(Digest.Parse(_baseLayerDigest))));
        Assert.Single(_registry.Requests, r => r.Method == "GET" && r.Path.EndsWith(_baseLayerDigest, StringComparison.Ordinal));
    }

    /// <summary>A publish on a fresh agent reads the base's layer, and its SBOM has the layer's libc6.</summary>
    private async Task AssertTheLayersAreReadAsync()
    {
        _registry.ClearRequests();
        using var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions());
        var result = await publisher.PublishAsync(Request("one", SbomFormat.CycloneDx), CancellationToken.None);

        Assert.Contains(_registry.Requests, r => r.Method == "GET" && r.Path.EndsWith(_baseLayerDigest, StringComparison.Ordinal));
        Assert.Contains("libc6@2.36", Encoding.UTF8.GetString(await File.ReadAllBytesAsync(result.SbomFiles[0])), StringComparison.Ordinal);
    }

    /// <summary>The base image's part of an SBOM: its component and what it holds (CycloneDX), or its packages (SPDX).</summary>
    private static string BasePart(byte[] sbom, SbomFormat format)
    {
        var root = JsonNode.Parse(sbom)!;
        if (format == SbomFormat.CycloneDx) return root["components"]!.AsArray().Single(c => c!["bom-ref"]!.GetValue<string>() == "base-image")!.ToJsonString();
        var packages = root["packages"]!.AsArray().Where(p => p!["externalRefs"]?.ToJsonString().Contains("pkg:deb", StringComparison.Ordinal) == true || p!["primaryPackagePurpose"]!.GetValue<string>() == "OPERATING_SYSTEM");
        return string.Join("\n", packages.Select(p => p!.ToJsonString()));
    }

    private async Task AttachToBaseAsync(byte[] sbom)
    {
        using var clients = new RegistryClientProvider(_registry.ClientOptions());
        var store = new RegistryStore(ImageReference.Parse("registry.example.com/base:1"), new StoreContext(clients, new ContentCache(_temp.Combine("seed-cache")), NullBuildLog.Instance));
        await store.WriteAsync(ArtifactBuilder.Build(_base!, CycloneDxWriter.MediaType, [(CycloneDxWriter.MediaType, sbom)]), [], CancellationToken.None);
    }

    /// <summary>Puts a one-layer base under base:1 whose layer holds this dpkg database and an os-release.</summary>
    private void AddBase(string status)
    {
        var layer = new SampleImages(_temp.Combine($"base-{Guid.NewGuid():N}")).Layer(("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"), ("var/lib/dpkg/status", status));
        _base = SampleImages.Build([layer]);
        _baseLayerDigest = layer.Descriptor.Digest;
        _registry.AddBlob("base", _base.RawConfig);
        _registry.AddBlob("base", File.ReadAllBytes(layer.Path));
        _registry.AddManifest("base", _base.RawManifest, _base.MediaType, "1");
    }

    /// <summary>
    /// Puts base:1 behind an index that holds the base image and a buildx attestation manifest for it, whose one layer is
    /// <paramref name="statement"/> (an in-toto statement) annotated with <paramref name="predicateType"/>.
    /// </summary>
    private void IndexBaseWithAttestation(string statement, string predicateType = "https://spdx.dev/Document")
    {
        var layer = Encoding.UTF8.GetBytes(statement);
        var layerDigest = _registry.AddBlob("base", layer);
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"unknown","os":"unknown","config":{},"rootfs":{"type":"layers","diff_ids":["{{{layerDigest}}}"]}}""");
        var configDigest = _registry.AddBlob("base", config);
        var attestation = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{configDigest}}}","size":{{{config.Length}}}},
             "layers":[{"mediaType":"application/vnd.in-toto+json","digest":"{{{layerDigest}}}","size":{{{layer.Length}}},"annotations":{"in-toto.io/predicate-type":"{{{predicateType}}}"}}]}
            """);
        var attestationDigest = _registry.AddManifest("base", attestation, MediaTypes.OciManifest);
        var index = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
              {"mediaType":"{{{_base!.MediaType}}}","digest":"{{{_base.Digest}}}","size":{{{_base.RawManifest.Length}}},"platform":{"architecture":"amd64","os":"linux"}},
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{attestationDigest}}}","size":{{{attestation.Length}}},"platform":{"architecture":"unknown","os":"unknown"},
               "annotations":{"vnd.docker.reference.type":"attestation-manifest","vnd.docker.reference.digest":"{{{_base.Digest}}}"}}]}
            """);
        _registry.AddManifest("base", index, MediaTypes.OciIndex, "1");
    }

    /// <summary>A publish of a one-file app from its own folders (<paramref name="agent"/>: a new one is a fresh agent: no layer or content cache).</summary>
    private ContainerPublishRequest Request(string agent, SbomFormat format, string app = "app")
    {
        if (_base is null) AddBase("Package: libc6\nStatus: install ok installed\nVersion: 2.36\nArchitecture: amd64\n");
        if (!_agents.TryGetValue(agent, out var folder)) _agents[agent] = folder = new TempDirectory();
        var (deps, assets) = AppGraphReaderTests.Inputs(folder);
        folder.WriteFile("publish/App.dll", app);
        return new ContainerPublishRequest
        {
            BaseImage = ImageReference.Parse("registry.example.com/base:1"),
            Platform = new Platform("amd64", "linux"),
            RuntimeIdentifier = "linux-x64",
            PublishDirectory = folder.Combine("publish"),
            AppDirectory = "/app/",
            Settings = new ImageSettings { Created = DateTimeOffset.UnixEpoch },
            Destination = ImageDestination.Registry(ImageReference.Parse("registry.example.com/app")),
            Tags = ["latest"],
            WorkDirectory = folder.Combine("obj"),
            CacheDirectory = folder.Combine("cache"),
            DepsFile = deps,
            SupplyChain = new SupplyChainOptions
            {
                Sbom = format, Provenance = false, AssetsFile = assets, SbomDirectory = folder.Combine("out"), SbomName = "App",
            },
        };
    }
}
