using System.Diagnostics;
using System.Text.Json.Nodes;
using Containers.Oci.Content;
using Containers.Oci.Destinations;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Images.Sources;
using Containers.Oci.Layers;
using Containers.Oci.Registry;

namespace Containers.Oci.Publishing;

/// <summary>
/// The whole job for one image: read the base, plan and write the app's layers, assemble the image, push it.
/// The same engine serves the MSBuild tasks, a CLI and the tests.
/// </summary>
public sealed class ContainerPublisher : IDisposable
{
    private readonly IBuildLog _log;
    private readonly RegistryClientProvider _clients;

    public ContainerPublisher(IBuildLog log, RegistryClientOptions? registryOptions = null)
    {
        _log = log;
        // Retries, resumed uploads and the credential source in use go to the build log at detailed verbosity.
        _clients = new RegistryClientProvider((registryOptions ?? RegistryClientOptions.Default) with { Log = registryOptions?.Log ?? log });
    }

    public void Dispose() => _clients.Dispose();

    public async Task<ContainerPublishResult> PublishAsync(ContainerPublishRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();

        // A destination that cannot take the image (an engine that is not running) fails before any work is done.
        var destination = ImageDestinations.For(request.Destination, _clients, _log);
        await destination.CheckAsync(cancellationToken).ConfigureAwait(false);
        var checkedAt = clock.Elapsed;

        var (image, layersSummary) = await BuildImageAsync(request, cancellationToken).ConfigureAwait(false);
        var builtAt = clock.Elapsed;

        var written = await destination.WriteAsync(image, request.Tags, cancellationToken).ConfigureAwait(false);
        _log.Detail($"Time: destination check {checkedAt.TotalMilliseconds:0} ms, image built {(builtAt - checkedAt).TotalMilliseconds:0} ms, written {(clock.Elapsed - builtAt).TotalMilliseconds:0} ms.");
        var summary = $"{written.Action} {string.Join(", ", written.Names)} ({image.ManifestDigest}): {layersSummary}; {written.Details}; in {clock.Elapsed.TotalSeconds:0.0} s.";
        _log.Info(summary);
        return new ContainerPublishResult(image, written.Names, summary) { ArchivePath = written.ArchivePath };
    }

    /// <summary>
    /// One image per request (one per platform), built in parallel, then one index of them sent to the destination
    /// (the first request's; every request names the same one) under the first request's tags.
    /// </summary>
    /// <param name="platformTags">Also tag each platform's image <c>&lt;tag&gt;-&lt;rid&gt;</c> (a registry only); otherwise they are pushed by digest only.</param>
    public async Task<ContainerIndexPublishResult> PublishIndexAsync(IReadOnlyList<ContainerPublishRequest> requests, bool platformTags, CancellationToken cancellationToken)
    {
        if (requests.Count == 0) throw new ArgumentException("No platform to publish.", nameof(requests));
        var clock = Stopwatch.StartNew();
        var first = requests[0];
        var destination = ImageDestinations.For(first.Destination, _clients, _log);
        await destination.CheckAsync(cancellationToken).ConfigureAwait(false);

        var built = await Task.WhenAll(requests.Select(r => BuildImageAsync(r, cancellationToken))).ConfigureAwait(false);
        var index = ImageIndexBuilder.Build(built.Select(b => b.Image).ToList()) with
        {
            PlatformTags = platformTags ? requests.Select(r => (IReadOnlyList<string>)first.Tags.Select(t => $"{t}-{r.RuntimeIdentifier}").ToList()).ToList() : [],
        };

        var written = await destination.WriteIndexAsync(index, first.Tags, cancellationToken).ConfigureAwait(false);
        var platforms = string.Join(", ", requests.Select((r, i) => $"{index.Platforms[i]} ({r.RuntimeIdentifier}, {built[i].Image.ManifestDigest})"));
        var summary = $"{written.Action} {string.Join(", ", written.Names)} ({index.Digest}, {index.MediaType}): {platforms}; {written.Details}; in {clock.Elapsed.TotalSeconds:0.0} s.";
        _log.Info(summary);
        return new ContainerIndexPublishResult(index, written.Names, summary) { ArchivePath = written.ArchivePath };
    }

    /// <summary>Reads the base for the request's platform, writes the app's layers and assembles the image (no destination yet).</summary>
    private async Task<(BuiltImage Image, string LayersSummary)> BuildImageAsync(ContainerPublishRequest request, CancellationToken cancellationToken)
    {
        var timestamp = request.Settings.Created;
        var clock = Stopwatch.StartNew();
        // The base image is read (network) while the layers are planned and hashed (disk and CPU): they are independent,
        // unless the app folder's owner comes from the base's configuration, which the layer stage then waits for.
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var baseRead = ReadBaseImageAsync(request, abandon.Token);
        var layersBuilt = LayerStage.BuildAsync(request, baseRead, abandon.Token);
        BaseImage baseImage;
        try
        {
            baseImage = await baseRead.ConfigureAwait(false);
        }
        catch
        {
            // The base's error is the one to report; the layer work stops and its outcome no longer matters.
            await abandon.CancelAsync().ConfigureAwait(false);
            try { await layersBuilt.ConfigureAwait(false); } catch (Exception) { /* superseded by the base image's error */ }
            throw;
        }
        var baseElapsed = clock.Elapsed;
        _log.Info($"Building image '{request.Destination.Repository}' for {request.Platform} with tags '{string.Join(", ", request.Tags)}' on top of base image '{request.BaseImage}' ({baseImage.ManifestDigest}).");

        var layers = await layersBuilt.ConfigureAwait(false);
        foreach (var line in layers.Details) _log.Detail(line);
        _log.Detail($"Time: base image read in {baseElapsed.TotalMilliseconds:0} ms; layers ready after {clock.Elapsed.TotalMilliseconds:0} ms (both at once).");

        var labels = request.Settings.Labels.ToList();
        if (request.AddCreatedLabels)
        {
            var created = ImageConfigBuilder.Rfc3339(timestamp);
            labels.Add(new("org.opencontainers.image.created", created));
            labels.Add(new("org.opencontainers.artifact.created", created));
        }
        if (request.AddBaseDigestLabel) labels.Add(new("org.opencontainers.image.base.digest", baseImage.ManifestDigest.ToString()));

        var image = ImageBuilder.Build(baseImage, layers.Layers, WithAppCommand(request, baseImage) with { Labels = labels, ManifestMediaType = ManifestMediaType(request, baseImage) });
        return (image, layers.Summary);
    }

    /// <summary>The settings with Entrypoint and Cmd decided against the base image's entrypoint (see <see cref="AppCommandResolver"/>).</summary>
    private ImageSettings WithAppCommand(ContainerPublishRequest request, BaseImage baseImage)
    {
        if (request.AppCommand is not { } command) return request.Settings;
        var baseEntrypoint = (baseImage.Config["config"]?["Entrypoint"] as JsonArray)?.Select(e => e?.GetValue<string>() ?? "").ToList();
        // The inputs' own warnings were given when they were checked (ContainerPublishRequest.AppCommand); this one needs the base.
        var (entrypoint, cmd) = AppCommandResolver.Resolve(command, baseEntrypoint,
            (error, message) => { if (error == Errors.ErrorCatalogue.BaseEntrypointOverwritten) _log.Warning(error, message); });
        return request.Settings with { Entrypoint = entrypoint, Cmd = cmd };
    }

    /// <summary>The manifest type: as asked, else the base's; zstd layers exist only in OCI manifests.</summary>
    internal static string ManifestMediaType(ContainerPublishRequest request, BaseImage baseImage)
    {
        var requested = request.Settings.ManifestMediaType;
        if (request.Compression != LayerCompression.Zstd) return requested ?? baseImage.Manifest.MediaType;
        if (requested is not null && Model.MediaTypes.IsDocker(requested)) throw Errors.ErrorCatalogue.ZstdNeedsOci.ToException();
        return Model.MediaTypes.OciManifest;
    }

    /// <summary>From wherever it is; base layers a destination needs go through the content cache.</summary>
    private Task<BaseImage> ReadBaseImageAsync(ContainerPublishRequest request, CancellationToken cancellationToken)
    {
        var cache = new ContentCache(ContentCache.ResolveDirectory(request.CacheDirectory), _log);
        return ImageSources.For(request.BaseImage, _clients, cache).ReadAsync(request.Platform, request.RuntimeIdentifier, cancellationToken);
    }
}
