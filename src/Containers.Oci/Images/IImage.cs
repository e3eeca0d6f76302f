using System.Text.Json.Nodes;
using Containers.Oci.Model;

namespace Containers.Oci.Images;

/// <summary>
/// An image for one platform: a base read from any store and an image just built are the same kind of thing. Its
/// manifest and config are exact bytes (their digests are final); its layers open their own bytes.
/// </summary>
public interface IImage : ITaggable
{
    ImageManifest Manifest { get; }

    /// <summary>The exact config bytes, whose digest the manifest's config descriptor names.</summary>
    byte[] RawConfig { get; }

    /// <summary>The config, parsed. Shared: transforms read it and build a new one, never change it.</summary>
    JsonObject Config { get; }

    /// <summary>The layers in order, each paired with its diff id.</summary>
    IReadOnlyList<ILayer> Layers { get; }

    /// <summary>The platform the config states; null when it names no os or architecture.</summary>
    Platform? Platform { get; }

    /// <summary>An OCI 1.1 artifact (an SBOM, a signature) rather than a runnable image: its blobs have no diff ids.</summary>
    bool IsArtifact { get; }
}
