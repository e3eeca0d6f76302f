using Containers.Oci.Model;

namespace Containers.Oci.Formats;

/// <summary>
/// The OCI image layout (image-spec layout.md): an <c>oci-layout</c> marker, an <c>index.json</c> naming the images, and
/// <c>blobs/&lt;algorithm&gt;/&lt;hex&gt;</c>. A folder holds it as is; an oci-archive is the same files in a tar.
/// </summary>
public static class OciLayout
{
    public const string MarkerFile = "oci-layout";
    public const string IndexFile = "index.json";
    public const string MarkerContent = """{"imageLayoutVersion":"1.0.0"}""";

    /// <summary>The image's name in the layout. We write the full name (<c>[registry/]repository:tag</c>), as podman does.</summary>
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>The name docker (containerd) and podman load an image under; written with the same full name.</summary>
    public const string ContainerdNameAnnotation = "io.containerd.image.name";

    public static string BlobPath(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Encoded}";

    public static string BlobPath(string digest) => BlobPath(Digest.Parse(digest));

    /// <summary>The digest a path such as <c>blobs/sha256/ab12…</c> (or <c>./blobs/…</c>) names, if it names one.</summary>
    public static bool TryParseBlobPath(string path, out Digest digest)
    {
        digest = default;
        var parts = NormalizeEntryName(path).Split('/');
        return parts.Length == 3 && parts[0] == "blobs" && Digest.TryParse($"{parts[1]}:{parts[2]}", out digest);
    }

    /// <summary>A tar entry name without a leading <c>./</c> or <c>/</c>.</summary>
    public static string NormalizeEntryName(string name)
    {
        while (name.StartsWith("./", StringComparison.Ordinal)) name = name[2..];
        return name.TrimStart('/');
    }

    /// <summary>An index entry for a manifest, named for one tag.</summary>
    public static Descriptor Entry(Descriptor manifest, string name, Platform? platform)
        => manifest with
        {
            Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [ContainerdNameAnnotation] = name,
                [RefNameAnnotation] = name,
            },
            Platform = platform,
        };

    /// <summary>The name of an index entry: its ref name, else its containerd name; null when it has neither.</summary>
    public static string? NameOf(Descriptor entry)
        => entry.Annotations?.GetValueOrDefault(RefNameAnnotation) ?? entry.Annotations?.GetValueOrDefault(ContainerdNameAnnotation);

    /// <summary>
    /// The index after adding <paramref name="added"/>: an existing entry with the same name is replaced (the tag moves),
    /// every other entry is kept, so one folder can collect many images.
    /// </summary>
    public static ImageIndex Merge(ImageIndex? existing, IReadOnlyList<Descriptor> added)
    {
        var names = added.Select(NameOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        // An unnamed entry (an image by digest, a referrer) is there once, however often it is added.
        var unnamed = added.Where(a => NameOf(a) is null).Select(a => a.Digest).ToHashSet(StringComparer.Ordinal);
        var kept = (existing?.Manifests ?? []).Where(m => NameOf(m) is { } name ? !names.Contains(name) : !unnamed.Contains(m.Digest));
        return new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests = kept.Concat(added).ToList(),
            Annotations = existing?.Annotations,
        };
    }
}
