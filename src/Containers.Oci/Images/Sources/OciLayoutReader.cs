using System.Text.Json.Nodes;
using Containers.Oci.Errors;
using Containers.Oci.Formats;
using Containers.Oci.Model;

namespace Containers.Oci.Images.Sources;

/// <summary>
/// Finds one image in OCI layout content, wherever that content is (a folder, an archive read into memory and the
/// cache): the index.json entry by name or digest, then nested indexes by platform, then the manifest and config.
/// </summary>
internal sealed class OciLayoutReader(string source, Func<Descriptor, CancellationToken, Task<byte[]>> readBlob)
{
    private const int MaxIndexDepth = 4;

    public async Task<(ImageManifest Manifest, Digest ManifestDigest, JsonObject Config)> ReadAsync(
        byte[] indexJson, string? name, string? digest, Platform platform, string? runtimeIdentifier, CancellationToken cancellationToken)
    {
        var index = ImageDocuments.Parse<ImageDocuments.LayoutIndex>(indexJson, OciLayout.IndexFile, source).ToIndex();
        var chosen = Choose(index, name, digest, platform, runtimeIdentifier);

        for (var depth = 0; MediaTypes.IsIndex(chosen.MediaType); depth++)
        {
            if (depth == MaxIndexDepth) throw ErrorCatalogue.BaseImageUnreadable.ToException(source, $"its indexes nest deeper than {MaxIndexDepth} levels");
            var nested = ImageDocuments.Parse<ImageDocuments.LayoutIndex>(await readBlob(chosen, cancellationToken).ConfigureAwait(false), "index", source).ToIndex();
            chosen = ImageDocuments.ChoosePlatform(nested, platform, runtimeIdentifier, source);
        }
        if (!MediaTypes.IsManifest(chosen.MediaType))
        {
            throw ErrorCatalogue.BaseImageUnreadable.ToException(source, $"its entry {chosen.Digest} is a '{chosen.MediaType}', not an image manifest or index");
        }

        var manifest = ImageDocuments.Parse<ImageManifest>(await readBlob(chosen, cancellationToken).ConfigureAwait(false), "manifest", source);
        var config = ImageDocuments.ParseConfig(await readBlob(manifest.Config, cancellationToken).ConfigureAwait(false), source);
        ImageDocuments.CheckPlatform(config, platform, runtimeIdentifier, source);
        return (manifest, chosen.ParsedDigest, config);
    }

    private Descriptor Choose(ImageIndex index, string? name, string? digest, Platform platform, string? runtimeIdentifier)
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

        if (candidates.Select(c => c.Digest).Distinct(StringComparer.Ordinal).Count() == 1) return candidates[0];
        // Several entries: a multi-platform layout lists one per platform, so ours is the one. Several images for the
        // same platform (a layout that collects images) are the user's to choose between.
        if (candidates.All(c => c.Platform is not null))
        {
            var chosen = ImageDocuments.ChoosePlatform(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = candidates }, platform, runtimeIdentifier, source);
            var rivals = candidates.Where(c => c.Platform == chosen.Platform).Select(c => c.Digest).Distinct(StringComparer.Ordinal).Count();
            if (rivals == 1) return chosen;
        }
        throw ErrorCatalogue.BaseImageNotChosen.ToException(source, candidates.Count, names);
    }
}
