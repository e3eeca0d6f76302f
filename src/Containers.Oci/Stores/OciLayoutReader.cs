using Containers.Oci.Errors;
using Containers.Oci.Formats;
using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.Oci.Stores;

/// <summary>
/// Finds images in OCI layout content, wherever that content is (a folder, an archive read into memory and the
/// cache): the index.json entry by name or digest, then nested indexes by platform, then the manifest and config.
/// </summary>
/// <param name="readBlob">A small blob's bytes (index, manifest, config), verified against its descriptor.</param>
/// <param name="layerOf">The layer a manifest's descriptor and diff id name, reading its bytes from the same content.</param>
internal sealed class OciLayoutReader(string source, Func<Descriptor, CancellationToken, Task<byte[]>> readBlob, Func<Descriptor, string, ILayer> layerOf)
{
    private const int MaxIndexDepth = 4;

    /// <summary>The image for one platform.</summary>
    public async Task<IImage> ReadImageAsync(byte[] indexJson, string? name, string? digest, Platform platform, string? runtimeIdentifier, CancellationToken cancellationToken)
    {
        var chosen = Choose(ParseIndexJson(indexJson), name, digest, platform, runtimeIdentifier);
        for (var depth = 0; MediaTypes.IsIndex(chosen.MediaType); depth++)
        {
            if (depth == MaxIndexDepth) throw ErrorCatalogue.BaseImageUnreadable.ToException(source, $"its indexes nest deeper than {MaxIndexDepth} levels");
            var nested = ImageDocuments.Parse<LayoutIndex>(await readBlob(chosen, cancellationToken).ConfigureAwait(false), "index", source).ToIndex();
            chosen = ImageDocuments.ChoosePlatform(nested, platform, runtimeIdentifier, source);
        }
        var image = await ReadManifestAsync(chosen, cancellationToken).ConfigureAwait(false);
        ImageDocuments.CheckPlatform(image.Config, platform, runtimeIdentifier, source);
        return image;
    }

    /// <summary>The image or index that index.json names (by name or digest, or the only one there), as it is.</summary>
    public async Task<ITaggable> ReadRootAsync(byte[] indexJson, string? name, string? digest, CancellationToken cancellationToken)
    {
        var index = ParseIndexJson(indexJson);
        var candidates = Candidates(index, name, digest);
        if (candidates.Select(c => c.Digest).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            throw ErrorCatalogue.BaseImageNotChosen.ToException(source, candidates.Count, ImageNames.List(index.Manifests.Select(OciLayout.NameOf)));
        }
        var root = candidates[0];
        if (!MediaTypes.IsIndex(root.MediaType)) return await ReadManifestAsync(root, cancellationToken).ConfigureAwait(false);

        var bytes = await readBlob(root, cancellationToken).ConfigureAwait(false);
        var nested = ImageDocuments.Parse<LayoutIndex>(bytes, "index", source).ToIndex();
        var images = new List<IImage>();
        foreach (var entry in nested.Manifests) images.Add(await ReadManifestAsync(entry, cancellationToken).ConfigureAwait(false));
        return new PlatformIndex(bytes, nested, root.ParsedDigest, images);
    }

    private ImageIndex ParseIndexJson(byte[] indexJson) => ImageDocuments.Parse<LayoutIndex>(indexJson, OciLayout.IndexFile, source).ToIndex();

    /// <summary>One image or artifact manifest, by its descriptor.</summary>
    public async Task<IImage> ReadManifestAsync(Descriptor chosen, CancellationToken cancellationToken)
    {
        if (!MediaTypes.IsManifest(chosen.MediaType))
        {
            throw ErrorCatalogue.BaseImageUnreadable.ToException(source, $"its entry {chosen.Digest} is a '{chosen.MediaType}', not an image manifest or index");
        }
        var raw = await readBlob(chosen, cancellationToken).ConfigureAwait(false);
        var manifest = ImageDocuments.Parse<ImageManifest>(raw, "manifest", source);
        var rawConfig = await readBlob(manifest.Config, cancellationToken).ConfigureAwait(false);
        var config = ImageDocuments.ParseConfig(rawConfig, source);
        return Image.Read(manifest, raw, chosen.ParsedDigest, rawConfig, config, source, layerOf);
    }

    private List<Descriptor> Candidates(ImageIndex index, string? name, string? digest)
    {
        var names = ImageNames.List(index.Manifests.Select(OciLayout.NameOf));
        List<Descriptor> candidates;
        if (digest is not null)
        {
            candidates = index.Manifests.Where(m => m.Digest == digest).ToList();
            if (candidates.Count == 0) throw ErrorCatalogue.BaseImageNotInSource.ToException(source, $"with digest {digest}", names);
        }
        else if (name is not null)
        {
            candidates = index.Manifests.Where(m => ImageNames.Matches(OciLayout.NameOf(m), name)).ToList();
            if (candidates.Count == 0) throw ErrorCatalogue.BaseImageNotInSource.ToException(source, $"named '{name}'", names);
        }
        else
        {
            candidates = index.Manifests.ToList();
            if (candidates.Count == 0) throw ErrorCatalogue.BaseImageNotInSource.ToException(source, "at all", names);
        }
        return candidates;
    }

    private Descriptor Choose(ImageIndex index, string? name, string? digest, Platform platform, string? runtimeIdentifier)
    {
        var candidates = Candidates(index, name, digest);
        if (candidates.Select(c => c.Digest).Distinct(StringComparer.Ordinal).Count() == 1) return candidates[0];
        // Several entries: a multi-platform layout lists one per platform, so ours is the one. Several images for the
        // same platform (a layout that collects images) are the user's to choose between.
        if (candidates.All(c => c.Platform is not null))
        {
            var chosen = ImageDocuments.ChoosePlatform(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = candidates }, platform, runtimeIdentifier, source);
            var rivals = candidates.Where(c => c.Platform == chosen.Platform).Select(c => c.Digest).Distinct(StringComparer.Ordinal).Count();
            if (rivals == 1) return chosen;
        }
        throw ErrorCatalogue.BaseImageNotChosen.ToException(source, candidates.Count, ImageNames.List(index.Manifests.Select(OciLayout.NameOf)));
    }
}
