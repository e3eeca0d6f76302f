using Containers.Oci.Model;

namespace Containers.Oci.Images;

/// <summary>
/// Docker buildx's attestations (SBOM, provenance) as it stores them: not as OCI referrers but as extra manifests in the
/// image's own index, each with platform <c>unknown/unknown</c> and two annotations naming what it attests
/// (<c>vnd.docker.reference.type: attestation-manifest</c>, <c>vnd.docker.reference.digest: &lt;image digest&gt;</c>).
/// Its layers are in-toto statements; the predicate type of each is its layer's <c>in-toto.io/predicate-type</c>.
/// Docker Official Images on Docker Hub carry them.
/// </summary>
public static class InIndexAttestations
{
    public const string ReferenceType = "vnd.docker.reference.type";
    public const string ReferenceDigest = "vnd.docker.reference.digest";
    public const string AttestationManifest = "attestation-manifest";
    public const string PredicateTypeAnnotation = "in-toto.io/predicate-type";
    public const string SpdxPredicate = "https://spdx.dev/Document";
    public const string CycloneDxPredicate = "https://cyclonedx.org/bom";

    /// <summary>The attestation manifest of <paramref name="imageDigest"/> in <paramref name="index"/>; null when it has none.</summary>
    public static Descriptor? For(ImageIndex index, string imageDigest)
        => index.Manifests.FirstOrDefault(m => MediaTypes.IsManifest(m.MediaType)
            && m.Annotations?.GetValueOrDefault(ReferenceType) == AttestationManifest
            && m.Annotations.GetValueOrDefault(ReferenceDigest) == imageDigest);
}
