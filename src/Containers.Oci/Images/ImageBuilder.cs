using Containers.Oci.Model;

namespace Containers.Oci.Images;

/// <summary>Puts a base image, new layers and settings together into a new <see cref="IImage"/>. Pure: no I/O.</summary>
public static class ImageBuilder
{
    /// <param name="manifestMediaType">The manifest type to produce; null follows the base image's.</param>
    public static IImage Build(IImage baseImage, IReadOnlyList<(ILayer Layer, string Description)> newLayers, ImageSettings settings)
    {
        var manifestMediaType = settings.ManifestMediaType ?? baseImage.MediaType;
        var docker = MediaTypes.IsDocker(manifestMediaType);
        var layers = baseImage.Layers.Concat(newLayers.Select(l => l.Layer))
            .Select(l => l.WithDescriptor(ForManifest(l.Descriptor, docker)))
            .ToList();
        // A Docker manifest cannot carry the layer keys: the layers' history entries do (LayerKeyAnnotation).
        var comments = newLayers.Select(l => docker && LayerKeyAnnotation.Of(l.Layer.Descriptor) is { } key ? LayerKeyAnnotation.HistoryComment(key) : null).ToList();
        var config = ImageConfigBuilder.Build(baseImage.Config, settings, newLayers.Select(l => l.Layer.DiffId).ToList(), newLayers.Select(l => l.Description).ToList(), comments);
        return ImageMutation.Assemble(manifestMediaType, config, layers);
    }

    /// <summary>A layer's descriptor as the manifest's family writes it: its media type, and layer keys only in OCI (a Docker image's are in its history).</summary>
    private static Descriptor ForManifest(Descriptor descriptor, bool docker)
    {
        var typed = descriptor with { MediaType = LayerMediaType(descriptor.MediaType, docker) };
        return docker ? LayerKeyAnnotation.Without(typed) : typed;
    }

    /// <summary>Docker and OCI name the same gzip layer differently; the manifest's family decides.</summary>
    internal static string LayerMediaType(string mediaType, bool docker) => (mediaType, docker) switch
    {
        (MediaTypes.OciLayerGzip, true) => MediaTypes.DockerLayerGzip,
        (MediaTypes.DockerLayerGzip, false) => MediaTypes.OciLayerGzip,
        (MediaTypes.OciLayer, true) => MediaTypes.DockerLayer,
        (MediaTypes.DockerLayer, false) => MediaTypes.OciLayer,
        _ => mediaType,
    };
}
