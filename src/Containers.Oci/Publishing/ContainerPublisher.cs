using System.Diagnostics;
using System.Text.Json.Nodes;
using Containers.Oci.Content;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Layers;
using Containers.Oci.Packages;
using Containers.Oci.Registry;
using Containers.Oci.Stores;
using Containers.Oci.SupplyChain;

namespace Containers.Oci.Publishing;

/// <summary>
/// The whole job for one image: open the base from its store, add the app's layers and settings, write the result to
/// its destination store (and any extra ones) under its tags. The same engine serves the MSBuild tasks, a CLI and the tests.
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
        var context = Context(request);

        // A destination that cannot take the image (an engine that is not running) fails before any work is done.
        var stores = await OpenDestinationsAsync(request, context, cancellationToken).ConfigureAwait(false);
        await using var ahead = UploadAheadFor(ref stores, context, cancellationToken);
        var checkedAt = clock.Elapsed;

        var (image, layersSummary, documents, baseDigest, packages) = await BuildImageAsync(request, context, platformFile: false, ahead, cancellationToken).ConfigureAwait(false);
        var builtAt = clock.Elapsed;

        var written = new List<WriteResult>();
        foreach (var store in stores) written.Add(await store.WriteAsync(image, request.Tags, cancellationToken).ConfigureAwait(false));
        await SupplyChainOutputs.AttachAsync(stores, [documents], _log, cancellationToken).ConfigureAwait(false);
        var sbomFiles = await SupplyChainOutputs.WriteSbomFilesAsync([documents], cancellationToken).ConfigureAwait(false);
        await SupplyChainOutputs.RecordBaseImagesAsync([(request, baseDigest)], _log, cancellationToken).ConfigureAwait(false);
        _log.Detail($"Time: destination check {checkedAt.TotalMilliseconds:0} ms, image built {(builtAt - checkedAt).TotalMilliseconds:0} ms, written {(clock.Elapsed - builtAt).TotalMilliseconds:0} ms.");
        var summary = $"{Describe(written[0])} ({image.Digest}): {layersSummary}; {written[0].Details}{Extra(written)}; in {clock.Elapsed.TotalSeconds:0.0} s.";
        _log.Info(summary);
        return new ContainerPublishResult(image, written[0].Names, summary)
        {
            ArchivePath = written[0].ArchivePath,
            AllNames = written.SelectMany(w => w.Names).ToList(),
            Packages = packages,
            SbomFiles = sbomFiles,
        };
    }

    /// <summary>
    /// One image per request (one per platform), built in parallel, then one index of them written to the destination
    /// (the first request's; every request names the same one) under the first request's tags.
    /// </summary>
    /// <param name="platformTags">Also tag each platform's image <c>&lt;tag&gt;-&lt;rid&gt;</c> (a registry only); otherwise they are pushed by digest only.</param>
    public async Task<ContainerIndexPublishResult> PublishIndexAsync(IReadOnlyList<ContainerPublishRequest> requests, bool platformTags, CancellationToken cancellationToken)
    {
        if (requests.Count == 0) throw new ArgumentException("No platform to publish.", nameof(requests));
        var clock = Stopwatch.StartNew();
        var first = requests[0];
        var context = Context(first);
        var stores = await OpenDestinationsAsync(first, context, cancellationToken).ConfigureAwait(false);
        await using var ahead = UploadAheadFor(ref stores, context, cancellationToken);

        var built = await Task.WhenAll(requests.Select(r => BuildImageAsync(r, context, platformFile: true, ahead, cancellationToken))).ConfigureAwait(false);
        var index = ImageIndexBuilder.Build(built.Select(b => b.Image).ToList());
        IReadOnlyList<IReadOnlyList<string>> imageTags = platformTags
            ? requests.Select(r => (IReadOnlyList<string>)first.Tags.Select(t => $"{t}-{r.RuntimeIdentifier}").ToList()).ToList()
            : [];

        var written = new List<WriteResult>();
        foreach (var store in stores) written.Add(await store.WriteAsync(index, first.Tags, imageTags, cancellationToken).ConfigureAwait(false));
        await SupplyChainOutputs.AttachAsync(stores, built.Select(b => b.Documents).ToList(), _log, cancellationToken).ConfigureAwait(false);
        var sbomFiles = await SupplyChainOutputs.WriteSbomFilesAsync(built.Select(b => b.Documents).ToList(), cancellationToken).ConfigureAwait(false);
        await SupplyChainOutputs.RecordBaseImagesAsync(requests.Select((r, i) => (r, built[i].BaseDigest)).ToList(), _log, cancellationToken).ConfigureAwait(false);
        var platforms = string.Join(", ", requests.Select((r, i) => $"{index.Platforms[i]} ({r.RuntimeIdentifier}, {built[i].Image.Digest})"));
        var summary = $"{Describe(written[0])} ({index.Digest}, {index.MediaType}): {platforms}; {written[0].Details}{Extra(written)}; in {clock.Elapsed.TotalSeconds:0.0} s.";
        _log.Info(summary);
        return new ContainerIndexPublishResult(index, written[0].Names, summary)
        {
            ArchivePath = written[0].ArchivePath,
            AllNames = written.SelectMany(w => w.Names).ToList(),
            Packages = built.SelectMany(b => b.Packages).ToList(),
            SbomFiles = sbomFiles,
        };
    }

    private StoreContext Context(ContainerPublishRequest request)
        => new(_clients, new ContentCache(ContentCache.ResolveDirectory(request.CacheDirectory), _log), _log);

    /// <summary>
    /// The destination's store and every extra one, each checked before any work is done; so is every other output
    /// that could fail after a tag has moved (the result file).
    /// </summary>
    private static async Task<IReadOnlyList<IImageStore>> OpenDestinationsAsync(ContainerPublishRequest request, StoreContext context, CancellationToken cancellationToken)
    {
        if (request.ResultFile is { } resultFile) PublishResultFile.CheckWritable(resultFile);
        if (request.SupplyChain.SbomPath(null) is { } sbomFile) SbomFile.CheckWritable(sbomFile);
        var stores = request.ExtraDestinations.Prepend(request.Destination).Select(d => ImageStores.Open(d, context)).ToList();
        foreach (var store in stores) await store.CheckWritableAsync(cancellationToken).ConfigureAwait(false);
        return stores;
    }

    /// <summary>
    /// When the main destination is a registry, new layers go to it while they are written (see docs/registry.md,
    /// "Upload while writing"); its store then counts them as its push's. Extra destinations are pushed as usual.
    /// Disposing it (a failed publish) stops those uploads and gives their sessions up: no tag has moved.
    /// </summary>
    private UploadAhead? UploadAheadFor(ref IReadOnlyList<IImageStore> stores, StoreContext context, CancellationToken cancellationToken)
    {
        if (stores[0] is not RegistryStore registry) return null;
        var client = context.Clients.Get(registry.Reference.Registry);
        if (!client.UploadsAhead) return null;
        var ahead = new UploadAhead(client, registry.Reference.Repository, _log, cancellationToken);
        stores = [registry.WithUploadAhead(ahead), .. stores.Skip(1)];
        return ahead;
    }

    /// <summary>
    /// True when the publish reads the base's layers after the SBOM's scan: OS packages read its database, and a destination
    /// other than the base's own registry copies them (a push there only mounts them). Else the scan need not keep them.
    /// </summary>
    internal static bool BaseLayersReadAgain(ContainerPublishRequest request)
        => request.Packages.Count > 0 || request.BaseImage is not RegistryLocation { Reference: var source }
           || request.ExtraDestinations.Prepend(request.Destination).Any(d => d.Location is not RegistryLocation { Reference: var target } || !string.Equals(target.Registry, source.Registry, StringComparison.OrdinalIgnoreCase));

    private static string Describe(WriteResult written) => $"{written.Action} {string.Join(", ", written.Names)}";

    /// <summary>What the extra destinations did, after the main one's details.</summary>
    private static string Extra(IReadOnlyList<WriteResult> written)
        => string.Concat(written.Skip(1).Select(w => $"; also {w.Action.ToLowerInvariant()} {string.Join(", ", w.Names)} ({w.Details})"));

    /// <summary>Reads the base for the request's platform, writes the app's layers and assembles the image (no destination yet).</summary>
    private async Task<(IImage Image, string LayersSummary, SupplyChainDocuments Documents, string BaseDigest, IReadOnlyList<InstalledPackage> Packages)> BuildImageAsync(
        ContainerPublishRequest request, StoreContext context, bool platformFile, UploadAhead? ahead, CancellationToken cancellationToken)
    {
        var timestamp = request.Settings.Created;
        var clock = Stopwatch.StartNew();
        // The base image is read (network) while the layers are planned and hashed (disk and CPU): they are independent,
        // unless the app folder's owner comes from the base's configuration, which the layer stage then waits for.
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var baseStore = ImageStores.Open(request.BaseImage, context);
        var baseRead = baseStore.ReadImageAsync(request.Platform, request.RuntimeIdentifier, abandon.Token);
        var reuse = new RegistryLayerReuse(CacheFromSources.Resolve(request.CacheFrom, request.Destination, request.Tags), context, request.Platform, request.RuntimeIdentifier);
        var layersBuilt = LayerStage.BuildAsync(request, baseRead, abandon.Token, reuse, ahead is null ? null : ahead.Observe);
        IImage baseImage;
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
        // Locked mode: a base whose tag has moved stops the publish here, before anything is written anywhere.
        try
        {
            BaseImageLock.Verify(request.BaseImageLock, request.BaseImage.ToString(), request.Platform.ToString(), baseImage.Digest.ToString());
        }
        catch
        {
            await abandon.CancelAsync().ConfigureAwait(false);
            try { await layersBuilt.ConfigureAwait(false); } catch (Exception) { /* superseded by the lock's error */ }
            throw;
        }
        _log.Info($"Building image '{request.Destination.Name.Repository}' for {request.Platform} with tags '{string.Join(", ", request.Tags)}' on top of base image '{request.BaseImage}' ({baseImage.Digest}).");

        // Both need the base and run while the app's layers are still being made: OS packages (its apt sources and package
        // database) and the supply chain's scan of its layers (its OS packages, for the SBOM).
        var packagesBuilt = request.Packages.Count == 0 ? null : PackageStage.BuildAsync(baseImage, request.BaseImage.ToString(), PackageOptions(request, context), _log, abandon.Token);
        // The base's OS packages, for the SBOM: from an SBOM already in the registry where one names them (an earlier image's
        // on the same base, or the base's own), else from its layers.
        var baseScan = SupplyChainStage.ScanBaseAsync(request.SupplyChain, baseImage, request.BaseImage.ToString(), context.Cache.Directory, _log, abandon.Token,
            token => SbomReferrers.FindAsync(reuse.EarlierImagesAsync, baseStore, baseImage, _log, token), keepLayers: BaseLayersReadAgain(request));
        PackageStageResult? packages;
        LayerStageResult layers;
        try
        {
            packages = packagesBuilt is null ? null : await packagesBuilt.ConfigureAwait(false);
            layers = await layersBuilt.ConfigureAwait(false);
        }
        catch
        {
            await abandon.CancelAsync().ConfigureAwait(false);
            // The first failure is the one reported; the other stages stop and their outcome no longer matters.
            try { await layersBuilt.ConfigureAwait(false); } catch (Exception) { /* superseded */ }
            try { await baseScan.ConfigureAwait(false); } catch (Exception) { /* superseded */ }
            throw;
        }
        foreach (var line in packages?.Details ?? []) _log.Detail(line);
        foreach (var line in layers.Details) _log.Detail(line);
        _log.Detail($"Time: base image read in {baseElapsed.TotalMilliseconds:0} ms; layers ready after {clock.Elapsed.TotalMilliseconds:0} ms (both at once).");

        var labels = request.Settings.Labels.ToList();
        if (request.AddCreatedLabels)
        {
            var created = ImageConfigBuilder.Rfc3339(timestamp);
            labels.Add(new("org.opencontainers.image.created", created));
            labels.Add(new("org.opencontainers.artifact.created", created));
        }
        if (request.AddBaseDigestLabel) labels.Add(new("org.opencontainers.image.base.digest", baseImage.Digest.ToString()));

        // When the base has every requested package there is nothing to add: no layer, rather than one that changes nothing.
        IReadOnlyList<(ILayer Layer, string Description)> newLayers = packages is not { Record.Installed.Count: > 0 }
            ? layers.Layers : [(packages.Layer, packages.Description), .. layers.Layers];
        var image = ImageBuilder.Build(baseImage, newLayers, WithAppCommand(request, baseImage) with { Labels = labels, ManifestMediaType = ManifestMediaType(request, baseImage) });
        var summary = packages is not { Record.Installed.Count: > 0 } ? layers.Summary : $"{layers.Summary} and an OS package layer ({packages.Record.Installed.Count} packages{(packages.Reused ? ", reused" : "")})";
        if (packages is not null) _log.Info($"OS packages for {request.Platform}: {(packages.Record.Installed.Count == 0 ? "none needed" : string.Join(", ", packages.Record.Installed.Select(p => $"{p.Name} {p.Version}")))}{string.Concat(packages.Record.AlreadyInBase.Select(p => $"; {p.Name} already in the base"))}.");
        var documents = await SupplyChainStage.MakeAsync(request.SupplyChain, SupplyChainOutputs.Subject(request, image, baseImage) with { AddedOsPackages = packages?.Record.Installed ?? [] }, await baseScan.ConfigureAwait(false),
            _log, cancellationToken).ConfigureAwait(false);
        return (image, summary, documents with { SbomPath = request.SupplyChain.SbomPath(platformFile ? request.RuntimeIdentifier : null) }, baseImage.Digest.ToString(),
            packages?.Record.Installed ?? []);
    }

    private static PackageStageOptions PackageOptions(ContainerPublishRequest request, StoreContext context)
        => new(request.Packages, request.PackageSources, request.LayerCacheDirectory ?? request.WorkDirectory, context.Cache, LayerStage.FileTime, request.Compression)
        {
            Handler = request.PackageHttpHandler,
        };

    /// <summary>The settings with Entrypoint and Cmd decided against the base image's entrypoint (see <see cref="AppCommandResolver"/>).</summary>
    private ImageSettings WithAppCommand(ContainerPublishRequest request, IImage baseImage)
    {
        if (request.AppCommand is not { } command) return request.Settings;
        var baseEntrypoint = (baseImage.Config["config"]?["Entrypoint"] as JsonArray)?.Select(e => ImageDocuments.Text(e) ?? "").ToList();
        // The inputs' own warnings were given when they were checked (ContainerPublishRequest.AppCommand); this one needs the base.
        var (entrypoint, cmd) = AppCommandResolver.Resolve(command, baseEntrypoint,
            (error, message) => { if (error == Errors.ErrorCatalogue.BaseEntrypointOverwritten) _log.Warning(error, message); });
        return request.Settings with { Entrypoint = entrypoint, Cmd = cmd };
    }

    /// <summary>
    /// The manifest type, decided here once: as asked (ContainerImageFormat); else OCI for an OCI layout (skopeo and
    /// podman see only OCI manifests there) and for zstd layers, ours or the base's (they exist only in OCI manifests:
    /// a Docker manifest listing them is pulled by neither podman nor skopeo); else the base's.
    /// </summary>
    internal static string ManifestMediaType(ContainerPublishRequest request, IImage baseImage)
    {
        var requested = request.Settings.ManifestMediaType;
        var dockerAsked = requested is not null && Model.MediaTypes.IsDocker(requested);
        if (request.Compression == LayerCompression.Zstd)
        {
            if (dockerAsked) throw Errors.ErrorCatalogue.ZstdNeedsOci.ToException();
            return Model.MediaTypes.OciManifest;
        }
        if (baseImage.Layers.Any(l => l.Descriptor.MediaType == Model.MediaTypes.OciLayerZstd))
        {
            if (dockerAsked) throw Errors.ErrorCatalogue.BaseZstdNeedsOci.ToException(request.BaseImage);
            return Model.MediaTypes.OciManifest;
        }
        if (requested is not null) return requested;
        return request.Destination.Location is OciLayoutLocation ? Model.MediaTypes.OciManifest : baseImage.MediaType;
    }
}
