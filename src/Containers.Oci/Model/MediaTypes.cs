namespace Containers.Oci.Model;

/// <summary>The media types of the OCI image spec and of Docker's image manifest v2 schema 2.</summary>
public static class MediaTypes
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    /// <summary>OCI 1.1's empty blob (<c>{}</c>), the config of an artifact that needs none.</summary>
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";

    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    /// <summary>An uncompressed layer, as docker-archives made by <c>docker save</c> hold them.</summary>
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar";

    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    public static bool IsManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;

    public static bool IsDocker(string? mediaType) => mediaType is DockerManifest or DockerManifestList;

    /// <summary>An image's config (OCI or Docker): anything else under a manifest's config makes it an artifact.</summary>
    public static bool IsImageConfig(string? mediaType) => mediaType is OciConfig or DockerConfig;

    /// <summary>Every manifest type we can read, for the Accept header of a manifest request.</summary>
    public static readonly IReadOnlyList<string> AcceptedManifests = [OciIndex, DockerManifestList, OciManifest, DockerManifest];
}
