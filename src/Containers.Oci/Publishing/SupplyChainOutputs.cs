using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Stores;
using Containers.Oci.SupplyChain;

namespace Containers.Oci.Publishing;

/// <summary>
/// What a publish does with the supply-chain documents once its images are written: attaches them as referrers,
/// writes the SBOM files, records the bases in the lock file. Each step after the images, so a referrer never names a
/// missing manifest and a failed publish leaves no file of its own.
/// </summary>
internal static class SupplyChainOutputs
{
    /// <summary>The facts of one platform image that its documents need.</summary>
    public static SupplyChainSubject Subject(ContainerPublishRequest request, IImage image, IImage baseImage) => new()
    {
        Image = image,
        BaseImage = baseImage,
        BaseReference = request.BaseImage.ToString(),
        ImageName = request.Destination.Name.Registry is { } registry ? $"{registry}/{request.Destination.Name.Repository}" : request.Destination.Name.Repository,
        Platform = request.Platform.ToString(),
        Created = request.Settings.Created,
        DepsFile = request.DepsFile,
        AppName = request.SupplyChain.SbomName,
        Parameters = ProvenanceParameters.From(request),
    };

    /// <summary>
    /// Each image's documents as its referrers, in every store that keeps referrers. Archives and engines keep none;
    /// the SBOM file still has the SBOM. An unchanged re-publish makes the same documents: one listing per image
    /// shows they are there, and nothing is sent.
    /// </summary>
    public static async Task AttachAsync(IReadOnlyList<IImageStore> stores, IReadOnlyList<SupplyChainDocuments> documents, IBuildLog log, CancellationToken cancellationToken)
    {
        var artifacts = documents.SelectMany(d => d.Artifacts).ToList();
        if (artifacts.Count == 0) return;
        foreach (var store in stores)
        {
            if (!store.HoldsReferrers)
            {
                log.Detail($"{store.Name} keeps no referrers: the SBOM, provenance and signature are not attached there.");
                continue;
            }
            var attached = 0;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                // One listing per image shows what is there already; the rest go together.
                var listings = await Task.WhenAll(artifacts.GroupBy(a => a.Manifest.Subject!.Digest, StringComparer.Ordinal)
                    .Select(async group => (Group: group, Listed: await store.ReferrersAsync(group.First().Manifest.Subject!, cancellationToken).ConfigureAwait(false))))
                    .ConfigureAwait(false);
                var missing = listings.SelectMany(l => l.Group.Where(a => !SupplyChainStage.IsAttached(a, l.Listed))).ToList();
                if (missing.Count > 0) await store.WriteReferrersAsync(missing, cancellationToken).ConfigureAwait(false);
                attached = missing.Count;
            }
            catch (Errors.ContainerException e)
            {
                // The image and its tags are in place by now: a registry that refuses artifacts must not fail a publish that has happened.
                log.Warning(Errors.ErrorCatalogue.ReferrersNotAttached, Errors.ErrorCatalogue.ReferrersNotAttached.Format(store.Name, e.Message.TrimEnd('.')));
                continue;
            }
            log.Detail($"Referrers in {store.Name}: {attached} attached, {artifacts.Count - attached} already there, in {clock.Elapsed.TotalMilliseconds:0} ms: {string.Join(", ", artifacts.Select(a => $"{a.Manifest.ArtifactType} {a.Digest}"))}.");
        }
    }

    /// <summary>Each platform's SBOM beside the publish output.</summary>
    public static async Task<IReadOnlyList<string>> WriteSbomFilesAsync(IReadOnlyList<SupplyChainDocuments> documents, CancellationToken cancellationToken)
    {
        var files = new List<string>();
        foreach (var document in documents)
        {
            if (document.Sbom is null || document.SbomPath is null) continue;
            await SbomFile.WriteAsync(document.SbomPath, document.Sbom, cancellationToken).ConfigureAwait(false);
            files.Add(Path.GetFullPath(document.SbomPath));
        }
        return files;
    }

    /// <summary>With ContainerBaseImageLock (not locked mode), the bases this publish built on go into the lock file.</summary>
    public static async Task RecordBaseImagesAsync(IReadOnlyList<(ContainerPublishRequest Request, string BaseDigest)> built, IBuildLog log, CancellationToken cancellationToken)
    {
        if (built[0].Request.BaseImageLock is not { Locked: false } options) return;
        await BaseImageLock.RecordAsync(options.Path, built.Select(b => (b.Request.BaseImage.ToString(), b.Request.Platform.ToString(), b.BaseDigest)), cancellationToken).ConfigureAwait(false);
        log.Detail($"Base image digests recorded in {options.Path}.");
    }
}
