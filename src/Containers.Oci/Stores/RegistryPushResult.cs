using System.Globalization;
using Containers.Oci.Model;
using Containers.Oci.Names;

namespace Containers.Oci.Stores;

/// <summary>What a push did: where the image now is, and how much travelled (for the build's summary line).</summary>
public sealed record RegistryPushResult(
    IReadOnlyList<ImageReference> PushedReferences,
    Digest Digest,
    int BlobsUploaded,
    int BlobsSkipped,
    int BlobsMounted,
    long BytesUploaded)
{
    /// <summary>The repository already held the image's manifest, so no blob was checked or sent.</summary>
    public bool AlreadyPresent { get; init; }

    /// <summary>E.g. "2 blobs uploaded (1.4 MB), 3 already present, 1 mounted", or "0 blobs uploaded: the repository already had the image".</summary>
    public string Summary
        => AlreadyPresent
            ? "0 blobs uploaded: the repository already had the image"
            : $"{BlobsUploaded} blob{(BlobsUploaded == 1 ? "" : "s")} uploaded ({FormatBytes(BytesUploaded)}), {BlobsSkipped} already present, {BlobsMounted} mounted";

    internal static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };
}
