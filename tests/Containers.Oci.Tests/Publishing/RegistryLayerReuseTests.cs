using System.Text;
using System.Text.Json.Nodes;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Layers;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Publishing;
using Containers.Oci.Stores;
using Containers.Oci.Tests.Support;
using Containers.Testing.Registry;

namespace Containers.Oci.Tests.Publishing;

/// <summary>
/// Issue 13, layer reuse through the registry: a publish with an empty layer cache (a fresh CI agent) takes the layers
/// whose recorded keys match from the image it replaces, and never a record the registry does not confirm.
/// The whole publisher runs against an in-memory registry.
/// </summary>
public sealed class RegistryLayerReuseTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly InMemoryRegistry _registry = new();

    public RegistryLayerReuseTests() => StageBase();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EachLayerWeWrite_RecordsItsVersionedKey_InAnOciManifest()
    {
        var (result, _) = await PublishAsync("agent-1");

        var ours = result.Image.Manifest.Layers.Skip(1).ToList();
        Assert.Equal(2, ours.Count);   // the packages layer and the app layer
        Assert.All(ours, d => Assert.Matches("^v3:[0-9a-f]{64}$", LayerKeyAnnotation.Of(d)));
        Assert.Null(LayerKeyAnnotation.Of(result.Image.Manifest.Layers[0]));   // the base's layer is not ours
    }

    [Fact]
    public async Task AFreshAgent_ReusesEveryUnchangedLayerFromTheRegistry_WithoutWritingOrUploadingIt()
    {
        var (first, _) = await PublishAsync("agent-1");
        _registry.ClearRequests();

        var (second, log) = await PublishAsync("agent-2");

        Assert.Equal(first.Image.Digest, second.Image.Digest);   // the same image: nothing differs, not even a key
        Assert.Contains("(2 reused, 0 written)", second.Summary);
        Assert.Equal(2, log.Details.Count(d => d.Contains("(reused from the registry: registry.example.com/app)", StringComparison.Ordinal)));
        Assert.Equal(0, BlobsWritten("agent-2"));
        Assert.DoesNotContain(_registry.Requests, r => r.Method is "POST" or "PUT" or "PATCH");
    }

    [Fact]
    public async Task AnEditOnAFreshAgent_WritesAndUploadsOnlyTheChangedLayer()
    {
        await PublishAsync("agent-1");
        var before = _registry.BlobsUploaded;

        var (edited, log) = await PublishAsync("agent-2", app: "app, edited");

        Assert.Contains("(1 reused, 1 written)", edited.Summary);
        Assert.Equal(1, BlobsWritten("agent-2"));
        Assert.Equal(2, _registry.BlobsUploaded - before);   // the app layer and the config
        Assert.Contains(log.Details, d => d.StartsWith("Layer 'packages", StringComparison.Ordinal) && d.Contains("reused from the registry", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("wrong size")]
    public async Task AKeyRecordWhoseBlobIsMissingOrOfAnotherSize_IsIgnored_AndTheLayerBuilt(string fault)
    {
        var (first, _) = await PublishAsync("agent-1");
        // The previous image now says: the packages layer's key belongs to a blob the registry does not confirm.
        var manifest = JsonNode.Parse(first.Image.RawManifest)!.AsObject();
        var packages = manifest["layers"]![1]!.AsObject();
        if (fault == "missing") packages["digest"] = Digest.Sha256(Encoding.UTF8.GetBytes("no such blob")).ToString();
        else packages["size"] = packages["size"]!.GetValue<long>() + 1;
        _registry.AddManifest("app", Encoding.UTF8.GetBytes(manifest.ToJsonString()), first.Image.MediaType, "latest");

        var (second, log) = await PublishAsync("agent-2");

        Assert.Contains("(1 reused, 1 written)", second.Summary);
        Assert.Contains(log.Details, d => d.Contains("is missing there or not", StringComparison.Ordinal));
        Assert.Equal(first.Image.Digest, second.Image.Digest);   // built here, to the same bytes
    }

    [Fact]
    public async Task AFirstPublish_FindsNoPreviousImage_AndSaysSoOnlyInTheDetailedLog()
    {
        var (result, log) = await PublishAsync("agent-1");

        Assert.Contains("(0 reused, 2 written)", result.Summary);
        Assert.Contains(log.Details, d => d.Contains("registry.example.com/app:latest was not read (it does not exist yet)", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Infos, i => i.Contains("CONTAINER", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APreviousImageThatCannotBeRead_IsNoError_AndEveryLayerIsBuilt()
    {
        var (first, _) = await PublishAsync("agent-1");
        // A manifest whose config the registry does not have: the image cannot be read.
        var manifest = JsonNode.Parse(first.Image.RawManifest)!.AsObject();
        manifest["config"]!["digest"] = Digest.Sha256(Encoding.UTF8.GetBytes("no such config")).ToString();
        _registry.AddManifest("app", Encoding.UTF8.GetBytes(manifest.ToJsonString()), first.Image.MediaType, "latest");

        var (second, log) = await PublishAsync("agent-2");

        Assert.Contains("(0 reused, 2 written)", second.Summary);
        Assert.Contains(log.Details, d => d.Contains("registry.example.com/app:latest was not read (", StringComparison.Ordinal));
        Assert.Equal(first.Image.Digest, second.Image.Digest);
    }

    [Fact]
    public async Task CacheFromNone_LooksAtNoImage()
    {
        await PublishAsync("agent-1");
        _registry.ClearRequests();

        var (result, _) = await PublishAsync("agent-2", cacheFrom: "none");

        Assert.Contains("(0 reused, 2 written)", result.Summary);
        Assert.DoesNotContain(_registry.Requests, r => r.Path.EndsWith("/manifests/latest", StringComparison.Ordinal) && r.Method == "GET");
    }

    [Fact]
    public async Task CacheFrom_NamesAnotherRepository_WhoseLayersAreMountedNotUploaded()
    {
        await PublishAsync("agent-1");
        var before = _registry.BlobsUploaded;

        var (result, _) = await PublishAsync("agent-2", repository: "other", cacheFrom: "registry.example.com/app:latest");

        Assert.Contains("(2 reused, 0 written)", result.Summary);
        Assert.Equal(1, _registry.BlobsUploaded - before);   // the config only; both layers mounted from app
        Assert.True(_registry.BlobsMounted >= 2);
    }

    [Fact]
    public async Task ADockerImage_RecordsTheKeysInItsHistory_NotInItsManifest_AndAFreshAgentReusesItsLayers()
    {
        var (first, _) = await PublishAsync("agent-1", format: MediaTypes.DockerManifest);

        Assert.All(first.Image.Manifest.Layers, d => Assert.Null(d.Annotations));
        var comments = first.Image.Config["history"]!.AsArray().Select(h => h!["comment"]?.GetValue<string>()).ToList();
        Assert.Equal(2, comments.Count(c => c is not null));   // the packages and app layers; the base has none of ours
        Assert.All(comments.TakeLast(2), c => Assert.Matches("^io\\.containers\\.layer\\.key=v3:[0-9a-f]{64}$", c));

        _registry.ClearRequests();
        var (second, log) = await PublishAsync("agent-2", format: MediaTypes.DockerManifest);

        Assert.Equal(first.Image.Digest, second.Image.Digest);
        Assert.Contains("(2 reused, 0 written)", second.Summary);
        Assert.Equal(0, BlobsWritten("agent-2"));
        Assert.DoesNotContain(_registry.Requests, r => r.Method is "POST" or "PUT" or "PATCH");
    }

    [Fact]
    public void KeysInAHistory_BelongToTheLastLayers_AndStopAtTheFirstEntryWithoutOne()
    {
        var config = JsonNode.Parse("""
            {"history":[
              {"created_by":"base layer 1"},
              {"created_by":"ENV X=1","empty_layer":true},
              {"created_by":"base layer 2","comment":"io.containers.layer.key=v3:old"},
              {"created_by":"not ours"},
              {"created_by":"ours 1","comment":"io.containers.layer.key=v3:aaa"},
              {"created_by":"ours 2","comment":"io.containers.layer.key=v3:bbb"}]}
            """)!.AsObject();

        Assert.Equal([null, null, null, "v3:aaa", "v3:bbb"], LayerKeyAnnotation.FromHistory(config, 5));
        // A base whose history lists fewer layers than it has: the match from the end still holds.
        Assert.Equal([null, null, null, null, null, "v3:aaa", "v3:bbb"], LayerKeyAnnotation.FromHistory(config, 7));
        Assert.Equal([null, null], LayerKeyAnnotation.FromHistory(JsonNode.Parse("{}")!.AsObject(), 2));
    }

    [Theory]
    [InlineData("app:latest", "it does not name its registry")]
    [InlineData("registry.example.com/App", "")]
    public void ACacheFromEntryThatIsNotARegistryImage_IsCONTAINER5530(string entry, string reason)
    {
        var error = Assert.Throws<ContainerException>(() => CacheFromSources.Parse($"registry.example.com/ok;{entry}"));

        Assert.Equal(ErrorCatalogue.InvalidCacheFrom.Code, error.Code);
        Assert.Contains(entry, error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void CacheFrom_DefaultsToTheDestinationsFirstTag_AndToNothingForALocalDestination()
    {
        var registry = ImageDestination.Registry(ImageReference.Parse("registry.example.com/app"));
        var archive = ImageDestination.Archive(_temp.Combine("app.tar"), new ImageName(null, "app"));

        Assert.Equal([ImageReference.Parse("registry.example.com/app:1.0")], CacheFromSources.Resolve(CacheFromSources.Parse(""), registry, ["1.0", "latest"]));
        Assert.Empty(CacheFromSources.Resolve(null, archive, ["1.0"]));
        Assert.Empty(CacheFromSources.Resolve(CacheFromSources.Parse("None"), registry, ["1.0"]));
    }

    private async Task<(ContainerPublishResult Result, ListLog Log)> PublishAsync(string agent, string app = "app", string repository = "app", string? cacheFrom = null, string? format = null)
    {
        // Each agent has its own checkout (publish folder) and an empty layer cache.
        var publish = _temp.Combine(agent, "publish");
        Directory.CreateDirectory(publish);
        File.WriteAllText(Path.Combine(publish, "App.dll"), app);
        File.WriteAllText(Path.Combine(publish, "Package.dll"), "a package's assembly");
        File.WriteAllText(Path.Combine(publish, "App.deps.json"), DepsJson);
        var request = new ContainerPublishRequest
        {
            BaseImage = ImageReference.Parse("registry.example.com/base:1"),
            Platform = new Platform("amd64", "linux"),
            RuntimeIdentifier = "linux-x64",
            PublishDirectory = publish,
            DepsFile = Path.Combine(publish, "App.deps.json"),
            AppDirectory = "/app/",
            Settings = new ImageSettings { Created = DateTimeOffset.UnixEpoch, ManifestMediaType = format },
            Destination = ImageDestination.Registry(ImageReference.Parse($"registry.example.com/{repository}")),
            Tags = ["latest"],
            WorkDirectory = _temp.Combine(agent, "obj"),
            CacheDirectory = _temp.Combine(agent, "cache"),
            CacheFrom = CacheFromSources.Parse(cacheFrom),
        };
        var log = new ListLog();
        using var publisher = new ContainerPublisher(log, _registry.ClientOptions());
        return (await publisher.PublishAsync(request, CancellationToken.None), log);
    }

    private int BlobsWritten(string agent)
    {
        var blobs = _temp.Combine(agent, "obj", "blobs");
        return Directory.Exists(blobs) ? Directory.GetFiles(blobs).Length : 0;
    }

    private void StageBase()
    {
        var baseImage = new SampleImages(_temp.Combine("base")).Image(layers: 1);
        _registry.AddBlob("base", baseImage.RawConfig);
        foreach (var layer in baseImage.Layers) _registry.AddBlob("base", File.ReadAllBytes(((FileLayer)layer).Path));
        _registry.AddManifest("base", baseImage.RawManifest, baseImage.MediaType, "1");
    }

    /// <summary>Package.dll is a package's file, so the app has a packages layer and an app layer.</summary>
    private const string DepsJson = """
        {
          "targets": { ".NETCoreApp,Version=v10.0": {
            "App/1.0.0": { "runtime": { "App.dll": {} } },
            "Package/1.0.0": { "runtime": { "lib/net10.0/Package.dll": {} } } } },
          "libraries": {
            "App/1.0.0": { "type": "project" },
            "Package/1.0.0": { "type": "package", "sha512": "sha512-abc", "path": "package/1.0.0" } }
        }
        """;
}
