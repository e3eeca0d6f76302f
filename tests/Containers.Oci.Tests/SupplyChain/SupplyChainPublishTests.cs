using System.Text.Json.Nodes;
using Containers.Oci.Errors;
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
/// The whole publisher against an in-memory registry: the SBOM and the provenance become referrers of the image (by the
/// referrers API or the fallback tag), the SBOM is also a file, and a document that cannot be made changes nothing.
/// </summary>
public sealed class SupplyChainPublishTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly InMemoryRegistry _registry = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BothDocuments_AreReferrersOfTheImage_WithOrWithoutTheReferrersApi(bool referrersApi)
    {
        _registry.ReferrersApi = referrersApi;
        using var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions());

        var result = await publisher.PublishAsync(Request(), CancellationToken.None);

        var fallbackTag = RegistryReferrers.FallbackTag(result.Image.Digest);
        Assert.Equal(!referrersApi, _registry.Tags("app").ContainsKey(fallbackTag));
        // Both documents go into the fallback index at once: one PUT of it, not one per document.
        Assert.Equal(referrersApi ? 0 : 1, _registry.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("/manifests/" + fallbackTag, StringComparison.Ordinal)));
        var referrers = await ReferrersAsync(result.Image);
        Assert.Equal([CycloneDxWriter.MediaType, ProvenanceWriter.MediaType], referrers.Select(r => r.ArtifactType).Order(StringComparer.Ordinal));

        var sbom = JsonNode.Parse(await File.ReadAllBytesAsync(Assert.Single(result.SbomFiles)))!;
        Assert.Equal(result.Image.Digest.ToString(), sbom["metadata"]!["component"]!["version"]!.GetValue<string>());
        Assert.Contains(sbom["components"]!.AsArray(), c => c!["purl"]?.GetValue<string>() == "pkg:nuget/Serilog@4.0.0");
        Assert.Equal(Path.Combine(_temp.Combine("out"), "App.cdx.json"), result.SbomFiles[0]);
    }

    [Fact]
    public async Task AnUnchangedRepublish_AttachesTheSameBytes_AndListsThemOnce()
    {
        using var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions());
        var first = await publisher.PublishAsync(Request(), CancellationToken.None);
        var before = (await ReferrersAsync(first.Image)).Select(r => r.Digest).Order(StringComparer.Ordinal).ToList();

        _registry.ClearRequests();
        var second = await publisher.PublishAsync(Request(), CancellationToken.None);

        Assert.Equal(first.Image.Digest, second.Image.Digest);
        Assert.Equal(before, (await ReferrersAsync(second.Image)).Select(r => r.Digest).Order(StringComparer.Ordinal));
        // Already listed: neither the artifacts nor the fallback index are sent again.
        Assert.DoesNotContain(_registry.Requests, r => r.Method == "PUT" && (before.Any(r.Path.EndsWith) || r.Path.Contains("sha256-")));
    }

    [Fact]
    public async Task AnOciLayoutDestination_CarriesTheReferrersToo()
    {
        var layout = _temp.Combine("layout");
        var request = Request() with { Destination = new ImageDestination(new OciLayoutLocation(layout, null, null), new ImageName(null, "app")) };
        using var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions());

        var result = await publisher.PublishAsync(request, CancellationToken.None);

        var store = new OciLayoutStore(new OciLayoutLocation(layout, null, null));
        var referrers = await store.ReferrersAsync(result.Image.Descriptor, CancellationToken.None);
        Assert.Equal(2, referrers.Count);
        var provenance = await store.ReadManifestAsync(referrers.Single(r => r.ArtifactType == ProvenanceWriter.MediaType), CancellationToken.None);
        await using var blob = await provenance.Layers[0].OpenAsync(CancellationToken.None);
        var statement = JsonNode.Parse(blob)!;
        Assert.Equal(result.Image.Digest.ToString(), "sha256:" + statement["subject"]![0]!["digest"]!["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnAssetsFileThatCannotBeRead_IsCONTAINER5601_AndNothingIsPushed()
    {
        // (A broken .deps.json is the layer stage's CONTAINER5403 already; the assets file only the SBOM reads.)
        var request = Request();
        await File.WriteAllTextAsync(request.SupplyChain.AssetsFile!, "{ broken");
        using var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions());

        var error = await Assert.ThrowsAsync<ContainerException>(() => publisher.PublishAsync(request, CancellationToken.None));

        Assert.Equal("CONTAINER5601", error.Code);
        Assert.Empty(_registry.Tags("app"));
        Assert.DoesNotContain(_registry.Requests, r => r.Method is "PUT" or "POST" or "PATCH");
    }

    [Fact]
    public async Task AnSbomFolderThatCannotBeWritten_IsCONTAINER5602_BeforeThePush()
    {
        var blocker = _temp.WriteFile("blocker", "a file, not a folder");
        var request = Request();
        request = request with { SupplyChain = request.SupplyChain with { SbomDirectory = Path.Combine(blocker, "sbom") } };
        using var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions());

        var error = await Assert.ThrowsAsync<ContainerException>(() => publisher.PublishAsync(request, CancellationToken.None));

        Assert.Equal(ErrorCatalogue.SbomFileNotWritable, error.Error);
        Assert.Empty(_registry.Tags("app"));
    }

    [Fact]
    public async Task ABaseWhoseTagMoved_FailsLockedModeWithCONTAINER5610_AndNothingIsPushed_UntilTheLockIsRecordedAgain()
    {
        var lockFile = _temp.Combine("containers.lock.json");
        using var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions());
        await publisher.PublishAsync(Request() with { BaseImageLock = new BaseImageLockOptions(lockFile, Locked: false) }, CancellationToken.None);
        var locked = BaseImageLock.Read(lockFile)["registry.example.com/base:1"]["linux/amd64"];

        // The base's tag now names other content.
        var layer = new SampleImages(_temp.Combine("base2")).Layer(("etc/os-release", "ID=debian\n"));
        var moved = SampleImages.Build([layer]);
        _registry.AddBlob("base", moved.RawConfig);
        _registry.AddBlob("base", File.ReadAllBytes(layer.Path));
        _registry.AddManifest("base", moved.RawManifest, moved.MediaType, "1");
        var tagged = _registry.Tags("app")["latest"];
        _registry.ClearRequests();

        var error = await Assert.ThrowsAsync<ContainerException>(() => publisher.PublishAsync(Request() with { BaseImageLock = new BaseImageLockOptions(lockFile, Locked: true) }, CancellationToken.None));

        Assert.Equal("CONTAINER5610", error.Code);
        Assert.Contains(locked, error.Message);
        Assert.Equal(tagged, _registry.Tags("app")["latest"]);
        Assert.DoesNotContain(_registry.Requests, r => r.Method is "PUT" or "POST" or "PATCH");

        await BaseImageLock.RecordAsync(lockFile, [("registry.example.com/base:1", "linux/amd64", moved.Digest.ToString())], default);
        var result = await publisher.PublishAsync(Request() with { BaseImageLock = new BaseImageLockOptions(lockFile, Locked: true) }, CancellationToken.None);
        Assert.Equal(result.Image.Digest.ToString(), _registry.Tags("app")["latest"]);
    }

    [Fact]
    public async Task WithASigningKey_ABundleIsAttached_AndARepublishWithTheSameKeySignsNothingAgain()
    {
        var (keyFile, _) = ManifestSignerTests.NewKey(_temp);
        var request = Request();
        request = request with { SupplyChain = request.SupplyChain with { SigningKey = keyFile } };
        using var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions());

        var result = await publisher.PublishAsync(request, CancellationToken.None);
        var first = await ReferrersAsync(result.Image);
        await publisher.PublishAsync(request, CancellationToken.None);

        var signature = Assert.Single(first, r => r.ArtifactType == ManifestSigner.BundleMediaType);
        Assert.NotNull(signature.Annotations![ManifestSigner.KeyHintAnnotation]);
        Assert.Equal(first.Select(r => r.Digest).Order(StringComparer.Ordinal), (await ReferrersAsync(result.Image)).Select(r => r.Digest).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task WithBothDocumentsOff_NothingIsAttached()
    {
        var request = Request() with { SupplyChain = SupplyChainOptions.None };
        using var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions());

        var result = await publisher.PublishAsync(request, CancellationToken.None);

        Assert.Empty(await ReferrersAsync(result.Image));
        Assert.Empty(result.SbomFiles);
        Assert.Equal(["latest"], _registry.Tags("app").Keys);
    }

    private async Task<IReadOnlyList<Descriptor>> ReferrersAsync(IImage image)
    {
        using var clients = new RegistryClientProvider(_registry.ClientOptions());
        var store = new RegistryStore(ImageReference.Parse("registry.example.com/app:latest"),
            new StoreContext(clients, new Containers.Oci.Content.ContentCache(_temp.Combine("read-cache")), Containers.Oci.Diagnostics.NullBuildLog.Instance));
        return await store.ReferrersAsync(image.Descriptor, CancellationToken.None);
    }

    /// <summary>A publish of a one-file app with a .deps.json onto a base whose layer holds a dpkg database.</summary>
    private ContainerPublishRequest Request()
    {
        if (!_registry.Tags("base").ContainsKey("1"))
        {
            var layer = new SampleImages(_temp.Combine("base")).Layer(("var/lib/dpkg/status", "Package: libc6\nStatus: install ok installed\nVersion: 2.36\nArchitecture: amd64\n"));
            var baseImage = SampleImages.Build([layer]);
            _registry.AddBlob("base", baseImage.RawConfig);
            _registry.AddBlob("base", File.ReadAllBytes(layer.Path));
            _registry.AddManifest("base", baseImage.RawManifest, baseImage.MediaType, "1");
        }
        var (deps, assets) = AppGraphReaderTests.Inputs(_temp);
        _temp.WriteFile("publish/App.dll", "app");
        return new ContainerPublishRequest
        {
            BaseImage = ImageReference.Parse("registry.example.com/base:1"),
            Platform = new Platform("amd64", "linux"),
            RuntimeIdentifier = "linux-x64",
            PublishDirectory = _temp.Combine("publish"),
            AppDirectory = "/app/",
            Settings = new ImageSettings { Created = DateTimeOffset.UnixEpoch },
            Destination = ImageDestination.Registry(ImageReference.Parse("registry.example.com/app")),
            Tags = ["latest"],
            WorkDirectory = _temp.Combine("obj"),
            CacheDirectory = _temp.Combine("cache"),
            DepsFile = deps,
            SupplyChain = new SupplyChainOptions
            {
                Sbom = SbomFormat.CycloneDx, Provenance = true, AssetsFile = assets, SbomDirectory = _temp.Combine("out"), SbomName = "App",
            },
        };
    }
}

/// <summary>A registry that refuses OCI 1.1 artifacts: the publish has happened, so it is a warning (CONTAINER5604), not a failure.</summary>
public sealed class RefusedReferrersTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AStoreThatRefusesTheArtifacts_IsWarningCONTAINER5604_AndTheOtherStoresStillGetThem()
    {
        var image = new SampleImages(_temp.Combine("layers")).Image();
        var sbom = ArtifactBuilder.Build(image, CycloneDxWriter.MediaType, [(CycloneDxWriter.MediaType, "{}"u8.ToArray())]);
        var layout = new OciLayoutStore(new OciLayoutLocation(_temp.Combine("layout"), null, null));
        await layout.WriteAsync(image, [], CancellationToken.None);
        var log = new ListLog();

        await SupplyChainOutputs.AttachAsync([new RefusingStore(), layout], [new SupplyChainDocuments([sbom], null)], log, CancellationToken.None);

        Assert.Contains(log.Infos, line => line.StartsWith("CONTAINER5604: ", StringComparison.Ordinal) && line.Contains("refusing-registry/app"));
        Assert.Single(await layout.ReferrersAsync(image.Descriptor, CancellationToken.None));
    }

    /// <summary>A registry that answers the listing but rejects every manifest with a subject.</summary>
    private sealed class RefusingStore : IImageStore
    {
        public string Name => "refusing-registry/app";
        public bool HoldsReferrers => true;
        public Task CheckWritableAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task<ITaggable> ReadAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IImage> ReadImageAsync(Platform platform, string? runtimeIdentifier, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<Descriptor>> ReferrersAsync(Descriptor subject, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Descriptor>>([]);
        public Task<IImage> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<WriteResult> WriteAsync(IImage image, IReadOnlyList<string> tags, CancellationToken cancellationToken)
            => throw ErrorCatalogue.RegistryPushFailed.ToException(Name, "400 MANIFEST_INVALID");
        public Task<WriteResult> WriteAsync(IImageIndex index, IReadOnlyList<string> tags, IReadOnlyList<IReadOnlyList<string>> imageTags, CancellationToken cancellationToken)
            => throw new NotSupportedException();
    }
}
