using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.Oci.Stores;

/// <summary>
/// One place images live, able to read and write what the place allows: a registry repository, an OCI layout folder,
/// an archive file, the local docker or podman. Moving an image is reading it from one store and writing it to
/// another (<see cref="ImageCopy"/>); a publish writes the image it built to its destination store.
/// </summary>
public interface IImageStore
{
    /// <summary>How messages name this place, e.g. <c>localhost:5000/app</c> or <c>oci-layout:/out</c>.</summary>
    string Name { get; }

    /// <summary>Fails fast, before any work, when the store cannot take an image (an engine that is not running).</summary>
    Task CheckWritableAsync(CancellationToken cancellationToken);

    /// <summary>The image or index the store's reference names, as it is there.</summary>
    Task<ITaggable> ReadAsync(CancellationToken cancellationToken);

    /// <summary>The image for <paramref name="platform"/>, through the index when there is one; CONTAINER1011 when it has none.</summary>
    /// <param name="runtimeIdentifier">Only named in the error when the platform is missing.</param>
    Task<IImage> ReadImageAsync(Platform platform, string? runtimeIdentifier, CancellationToken cancellationToken);

    /// <summary>True when the place keeps referrers (artifacts such as SBOMs whose subject is an image): registries and layouts.</summary>
    bool HoldsReferrers { get; }

    /// <summary>The manifests whose subject is <paramref name="subject"/>, each with its artifact type; empty where the place keeps none.</summary>
    Task<IReadOnlyList<Descriptor>> ReferrersAsync(Descriptor subject, CancellationToken cancellationToken);

    /// <summary>
    /// The attestation manifest that docker buildx put beside <paramref name="image"/> in the index it was read from
    /// (an "in-index attestation": <c>vnd.docker.reference.type: attestation-manifest</c>, holding in-toto statements
    /// such as an SPDX SBOM), when this store read the image through such an index; else null. No request is made.
    /// </summary>
    Descriptor? InIndexAttestation(IImage image) => null;

    /// <summary>One manifest the store holds, by its descriptor (a referrer that <see cref="ReferrersAsync"/> listed).</summary>
    Task<IImage> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the image under each tag. When it returns, every name refers to the complete image. An artifact with a
    /// subject (tags usually empty) becomes one of the subject's referrers.
    /// </summary>
    Task<WriteResult> WriteAsync(IImage image, IReadOnlyList<string> tags, CancellationToken cancellationToken);

    /// <summary>
    /// Writes artifacts that are not yet referrers of their subject (an SBOM, a provenance, a signature), each by digest.
    /// One after the other here; a store that can does them at once (a registry: the pushes together, then the
    /// referrers index once).
    /// </summary>
    async Task WriteReferrersAsync(IReadOnlyList<IImage> artifacts, CancellationToken cancellationToken)
    {
        foreach (var artifact in artifacts) await WriteAsync(artifact, [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes an index and every image in it, the index under each tag; when it returns, every name refers to the
    /// complete index. A store that cannot hold an index (podman load) takes the host's platform and says so.
    /// </summary>
    /// <param name="imageTags">Extra tags per image, in the index's order (a registry only); empty: images by digest only.</param>
    Task<WriteResult> WriteAsync(IImageIndex index, IReadOnlyList<string> tags, IReadOnlyList<IReadOnlyList<string>> imageTags, CancellationToken cancellationToken);
}

/// <summary>What a store did, for the build's summary line: "{Action} {Names} (digest): …; {Details}".</summary>
public sealed record WriteResult(IReadOnlyList<string> Names, string Action, string Details)
{
    /// <summary>The archive written, for the GeneratedArchiveOutputPath output.</summary>
    public string? ArchivePath { get; init; }
}
