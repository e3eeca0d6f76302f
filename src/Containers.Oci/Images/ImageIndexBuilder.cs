using Containers.Oci.Errors;
using Containers.Oci.Model;

namespace Containers.Oci.Images;

/// <summary>
/// Assembles an image index from images (pure): one descriptor per image, with the platform its config states
/// (os, architecture, variant). An OCI index, or a Docker manifest list when every image has a Docker manifest.
/// The same images in the same order always give the same bytes, so the same digest.
/// </summary>
public static class ImageIndexBuilder
{
    public static PlatformIndex Build(IReadOnlyList<IImage> images)
    {
        if (images.Count == 0) throw new ArgumentException("An index needs at least one image.", nameof(images));
        var mediaType = images.All(i => MediaTypes.IsDocker(i.MediaType)) ? MediaTypes.DockerManifestList : MediaTypes.OciIndex;
        var platforms = images.Select(PlatformOf).ToList();
        var duplicate = platforms.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw ErrorCatalogue.DuplicatePlatform.ToException(duplicate.Key);

        var index = new ImageIndex
        {
            MediaType = mediaType,
            Manifests = images.Select((image, i) => image.Descriptor with { Platform = platforms[i] }).ToList(),
        };
        var bytes = OciJson.Serialize(index);
        return new PlatformIndex(bytes, index, Digest.Sha256(bytes), images);
    }

    /// <summary>The platform an image's config states; an image without one cannot be told apart in an index.</summary>
    public static Platform PlatformOf(IImage image)
        => image.Platform ?? throw ErrorCatalogue.UnexpectedFailure.ToException($"the image {image.Digest} has no os or architecture in its config");
}
