using System.Diagnostics;
using Containers.Oci.Diagnostics;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Registry;
using Containers.Oci.Stores;

namespace Containers.Oci.SupplyChain;

/// <summary>
/// Finds a base image's OS facts in SBOMs that are already in a registry (or an OCI layout), so that its layers need not
/// be downloaded and read: first the SBOM of an earlier image of the destination (the image a fresh CI agent already
/// reads for layer reuse), when it names the same base digest; then the base image's own SBOM referrer; then the SBOM
/// attestation docker buildx keeps in the base's index (<see cref="InIndexAttestations"/>). Nothing here
/// is an error: a missing, refused or unreadable document is a detailed-log line, and the caller reads the layers.
/// The trust is the one of layer reuse: a writer to the repository could as well replace the image.
/// </summary>
public static class SbomReferrers
{
    /// <summary>Larger SBOM documents are not fetched (a base's SBOM is kilobytes to a few megabytes).</summary>
    private const long MaxDocumentSize = 64L << 20;

    private static readonly string[] SbomTypes = [CycloneDxWriter.MediaType, SpdxWriter.MediaType];

    /// <param name="earlierImages">The destination's earlier images (for this platform) and their stores; read only when needed.</param>
    public static async Task<BaseOsFacts?> FindAsync(
        Func<CancellationToken, Task<IReadOnlyList<(IImageStore Store, IImage Image)>>> earlierImages, IImageStore baseStore, IImage baseImage,
        IBuildLog log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var baseDigest = baseImage.Digest.ToString();
        IReadOnlyList<(IImageStore Store, IImage Image)> earlier;
        try
        {
            earlier = await earlierImages(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (OptionalRead.Failed(e, cancellationToken))
        {
            earlier = [];
        }
        foreach (var (store, image) in earlier)
        {
            if (await FindInAsync(store, image, document => SbomOsFacts.FromEarlierImage(document, baseDigest), "an earlier image's", log, cancellationToken).ConfigureAwait(false) is { } found)
            {
                log.Detail($"Time: the base's OS packages taken from the SBOM of {store.Name}@{image.Digest} (same base) in {clock.Elapsed.TotalMilliseconds:0} ms; its layers were not read.");
                return found;
            }
        }
        if (baseStore.HoldsReferrers
            && await FindInAsync(baseStore, baseImage, SbomOsFacts.FromBaseImage, "the base image's", log, cancellationToken).ConfigureAwait(false) is { } own)
        {
            log.Detail($"Time: the base's OS packages taken from its own SBOM in {baseStore.Name} in {clock.Elapsed.TotalMilliseconds:0} ms; its layers were not read.");
            return own;
        }
        if (baseStore.InIndexAttestation(baseImage) is { } attestation
            && await FromAttestationAsync(baseStore, attestation, log, cancellationToken).ConfigureAwait(false) is { } attested)
        {
            log.Detail($"Time: the base's OS packages taken from its SBOM attestation (docker buildx, in its index) in {clock.Elapsed.TotalMilliseconds:0} ms; its layers were not read.");
            return attested;
        }
        return null;
    }

    /// <summary>
    /// The SBOM statement of a buildx attestation manifest (SPDX before CycloneDX): an in-toto statement whose predicate
    /// is the document.
    /// </summary>
    private static async Task<BaseOsFacts?> FromAttestationAsync(IImageStore store, Model.Descriptor attestation, IBuildLog log, CancellationToken cancellationToken)
    {
        try
        {
            var manifest = await store.ReadManifestAsync(attestation, cancellationToken).ConfigureAwait(false);
            string[] predicates = [InIndexAttestations.SpdxPredicate, InIndexAttestations.CycloneDxPredicate];
            foreach (var layer in manifest.Layers
                         .Where(l => predicates.Contains(l.Descriptor.Annotations?.GetValueOrDefault(InIndexAttestations.PredicateTypeAnnotation)))
                         .OrderBy(l => Array.IndexOf(predicates, l.Descriptor.Annotations![InIndexAttestations.PredicateTypeAnnotation])))
            {
                if (layer.Descriptor.Size > MaxDocumentSize) continue;
                var statement = System.Text.Json.Nodes.JsonNode.Parse(await ReadAsync(layer, cancellationToken).ConfigureAwait(false));
                if (statement?["predicate"] is System.Text.Json.Nodes.JsonObject predicate
                    && SbomOsFacts.FromBaseImage(predicate) is { } facts)
                {
                    return facts;
                }
                log.Detail($"SBOM: the base's attestation {layer.Descriptor.Digest} in {store.Name} does not give its OS packages; not used.");
            }
        }
        catch (Exception e) when (OptionalRead.Failed(e, cancellationToken))
        {
            log.Detail($"SBOM: the base's attestation {attestation.Digest} in {store.Name} could not be read ({e.Message.TrimEnd('.')}); not used.");
        }
        return null;
    }

    private static async Task<byte[]> ReadAsync(ILayer layer, CancellationToken cancellationToken)
    {
        await using var stream = await layer.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>The first SBOM referrer of <paramref name="subject"/> (CycloneDX before SPDX) that <paramref name="read"/> understands.</summary>
    private static async Task<BaseOsFacts?> FindInAsync(IImageStore store, IImage subject, Func<byte[], BaseOsFacts?> read, string whose, IBuildLog log, CancellationToken cancellationToken)
    {
        try
        {
            var referrers = await store.ReferrersAsync(subject.Descriptor, cancellationToken).ConfigureAwait(false);
            foreach (var descriptor in referrers.Where(r => SbomTypes.Contains(r.ArtifactType)).OrderBy(r => Array.IndexOf(SbomTypes, r.ArtifactType)))
            {
                var artifact = await store.ReadManifestAsync(descriptor, cancellationToken).ConfigureAwait(false);
                var layer = artifact.Layers.FirstOrDefault(l => l.Descriptor.MediaType == descriptor.ArtifactType) ?? artifact.Layers.FirstOrDefault();
                if (layer is null || layer.Descriptor.Size > MaxDocumentSize) continue;
                if (read(await ReadAsync(layer, cancellationToken).ConfigureAwait(false)) is { } facts) return facts;
                log.Detail($"SBOM: {whose} SBOM {descriptor.Digest} in {store.Name} does not give the base's OS packages; not used.");
            }
        }
        catch (Exception e) when (OptionalRead.Failed(e, cancellationToken))
        {
            log.Detail($"SBOM: {whose} SBOMs in {store.Name} could not be read ({e.Message.TrimEnd('.')}); not used.");
        }
        return null;
    }
}
