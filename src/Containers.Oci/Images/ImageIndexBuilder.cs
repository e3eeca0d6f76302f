using Containers.Oci.Errors;
using Containers.Oci.Images.Sources;
using Containers.Oci.Model;

namespace Containers.Oci.Images;

/// <summary>
/// Assembles an image index from built images (pure): one descriptor per image, with the platform its config states
/// (os, architecture, variant). An OCI index, or a Docker manifest list when every image has a Docker manifest.
/// The same images in the same order always give the same bytes, so the same digest.
/// </summary>
public static class ImageIndexBuilder
{
    public static BuiltIndex Build(IReadOnlyList<BuiltImage> images)
    {
        if (images.Count == 0) throw new ArgumentException("An index needs at least one image.", nameof(images));
        var mediaType = images.All(i => MediaTypes.IsDocker(i.ManifestMediaType)) ? MediaTypes.DockerManifestList : MediaTypes.OciIndex;
        var platforms = images.Select(PlatformOf).ToList();
        var duplicate = platforms.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw ErrorCatalogue.DuplicatePlatform.ToException(duplicate.Key);

        var index = new ImageIndex
        {
            MediaType = mediaType,
            Manifests = images.Select((image, i) => image.ManifestDescriptor with { Platform = platforms[i] }).ToList(),
        };
        var bytes = OciJson.Serialize(index);
        return new BuiltIndex(bytes, mediaType, Digest.Sha256(bytes), images);
    }

    /// <summary>The platform an image's config states; an image without one cannot be told apart in an index.</summary>
    public static Platform PlatformOf(BuiltImage image)
        => ImageDocuments.PlatformOf(ImageDocuments.ParseConfig(image.Config, "the built image"))
           ?? throw ErrorCatalogue.UnexpectedFailure.ToException($"the image {image.ManifestDigest} has no os or architecture in its config");
}
