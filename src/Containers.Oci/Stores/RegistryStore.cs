using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Registry;

namespace Containers.Oci.Stores;

/// <summary>
/// A registry repository. Reading an image fetches its manifest (through the index when the tag is multi-platform)
/// and config only: its layers are fetched when a store they are written to needs their bytes, then once, into the
/// content cache; a push to the same registry mounts them. Writing is <see cref="RegistryPush"/>.
/// </summary>
/// <param name="uploadAhead">The layers this publish uploaded here while writing them, which its push counts as its own.</param>
public sealed class RegistryStore(ImageReference reference, StoreContext context, UploadAhead? uploadAhead = null) : IImageStore
{
    private readonly RegistryClient _client = context.Clients.Get(reference.Registry);

    public ImageReference Reference => reference;

    public string Name => reference.ToString();

    public Task CheckWritableAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>This store, whose pushes count the layers <paramref name="ahead"/> uploaded as their own.</summary>
    public RegistryStore WithUploadAhead(UploadAhead ahead) => new(reference, context, ahead);

    public async Task<ITaggable> ReadAsync(CancellationToken cancellationToken)
    {
        var manifest = await _client.GetManifestAsync(reference.Repository, reference.TagOrDigest, cancellationToken).ConfigureAwait(false);
        if (!manifest.IsIndex) return await ImageAsync(manifest, cancellationToken).ConfigureAwait(false);

        var index = ImageDocuments.Parse<ImageIndex>(manifest.Content, $"{manifest.MediaType} document", Name);
        var images = new List<IImage>();
        foreach (var entry in index.Manifests)
        {
            if (!MediaTypes.IsManifest(entry.MediaType)) throw ErrorCatalogue.UnrecognizedMediaType.ToException(entry.MediaType, reference.WithDigest(entry.Digest));
            var child = await _client.GetManifestAsync(reference.Repository, entry.Digest, cancellationToken).ConfigureAwait(false);
            images.Add(await ImageAsync(child, cancellationToken).ConfigureAwait(false));
        }
        return new PlatformIndex(manifest.Content, index, manifest.Digest, images);
    }

    public async Task<IImage> ReadImageAsync(Platform platform, string? runtimeIdentifier, CancellationToken cancellationToken)
    {
        var manifest = await _client.GetManifestAsync(reference.Repository, reference.TagOrDigest, cancellationToken).ConfigureAwait(false);
        if (manifest.IsIndex)
        {
            var index = ImageDocuments.Parse<ImageIndex>(manifest.Content, $"{manifest.MediaType} document", Name);
            var chosen = ImageDocuments.ChoosePlatform(index, platform, runtimeIdentifier, Name);
            if (InIndexAttestations.For(index, chosen.Digest) is { } attestation) _attestations[chosen.Digest] = attestation;
            manifest = await PlatformManifestAsync(chosen, cancellationToken).ConfigureAwait(false);
        }
        var image = await ImageAsync(manifest, cancellationToken).ConfigureAwait(false);
        ImageDocuments.CheckPlatform(image.Config, platform, runtimeIdentifier, Name);
        return image;
    }

    public bool HoldsReferrers => true;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Descriptor> _attestations = new(StringComparer.Ordinal);

    public Descriptor? InIndexAttestation(IImage image) => _attestations.GetValueOrDefault(image.Digest.ToString());

    public async Task<IReadOnlyList<Descriptor>> ReferrersAsync(Descriptor subject, CancellationToken cancellationToken)
        => (await _client.GetReferrersAsync(reference.Repository, subject.ParsedDigest, cancellationToken).ConfigureAwait(false)).Manifests;

    public async Task<IImage> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken)
        => await ImageAsync(await _client.GetManifestAsync(reference.Repository, descriptor.Digest, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<WriteResult> WriteAsync(IImage image, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var result = await new RegistryPush(context.Clients, reference, context.Log.Detail, uploadAhead: uploadAhead).PushAsync(image, tags, cancellationToken).ConfigureAwait(false);
        if (image.Manifest.Subject is { } subject) await KeepFallbackTagAsync([image], subject, cancellationToken).ConfigureAwait(false);
        return new WriteResult(result.PushedReferences.Select(r => r.ToString()).ToList(), "Pushed", result.Summary);
    }

    /// <summary>
    /// The artifacts' pushes go together (by digest, blobs first as always); then, on a registry without the referrers
    /// API, each subject's fallback index is brought up to date once, with all of them.
    /// </summary>
    public async Task WriteReferrersAsync(IReadOnlyList<IImage> artifacts, CancellationToken cancellationToken)
    {
        var push = new RegistryPush(context.Clients, reference, context.Log.Detail);
        await Task.WhenAll(artifacts.Select(a => push.PushAsync(a, [], cancellationToken))).ConfigureAwait(false);
        foreach (var group in artifacts.Where(a => a.Manifest.Subject is not null).GroupBy(a => a.Manifest.Subject!.Digest, StringComparer.Ordinal))
        {
            await KeepFallbackTagAsync(group.ToList(), group.First().Manifest.Subject!, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A registry without the referrers API lists nothing by itself: the client adds the artifacts to the index under the
    /// subject's fallback tag (the OCI 1.1 tag schema). Two writers at once may each miss the other's entry; the next
    /// write of either puts it back.
    /// </summary>
    private async Task KeepFallbackTagAsync(IReadOnlyList<IImage> artifacts, Descriptor subject, CancellationToken cancellationToken)
    {
        var referrers = await _client.GetReferrersAsync(reference.Repository, subject.ParsedDigest, cancellationToken).ConfigureAwait(false);
        if (referrers.ApiSupported) return;
        var missing = artifacts.Where(a => referrers.Manifests.All(m => m.Digest != a.Descriptor.Digest)).ToList();
        if (missing.Count == 0) return;
        var index = OciJson.Serialize(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = [.. referrers.Manifests, .. missing.Select(ReferrerEntry)] });
        var tag = RegistryReferrers.FallbackTag(subject.ParsedDigest);
        await _client.PutManifestAsync(reference.Repository, tag, index, MediaTypes.OciIndex, cancellationToken).ConfigureAwait(false);
        foreach (var artifact in missing) context.Log.Detail($"{reference.Registry}/{reference.Repository} has no referrers API; {artifact.Digest} added to the index under {tag}");
    }

    /// <summary>How a referrers list names an artifact: its descriptor, artifact type and annotations.</summary>
    internal static Descriptor ReferrerEntry(IImage artifact)
        => artifact.Descriptor with { ArtifactType = artifact.Manifest.ArtifactType ?? artifact.Manifest.Config.MediaType, Annotations = artifact.Manifest.Annotations };

    public async Task<WriteResult> WriteAsync(IImageIndex index, IReadOnlyList<string> tags, IReadOnlyList<IReadOnlyList<string>> imageTags, CancellationToken cancellationToken)
    {
        var result = await new RegistryPush(context.Clients, reference, context.Log.Detail, uploadAhead: uploadAhead).PushIndexAsync(index, tags, imageTags, cancellationToken).ConfigureAwait(false);
        var platformTags = imageTags.Sum(t => t.Count);
        var byDigest = platformTags == 0 ? "; platform images by digest only" : $"; platform images also under {platformTags} platform tags";
        return new WriteResult(result.PushedReferences.Select(r => r.ToString()).ToList(), "Pushed", result.Summary + byDigest);
    }

    /// <summary>
    /// A platform's manifest, named by digest in the index the tag gave: from the content cache when it holds it, so a
    /// re-publish asks the registry only what the tag points at (one request instead of three for an index base).
    /// </summary>
    private async Task<RegistryManifest> PlatformManifestAsync(Descriptor chosen, CancellationToken cancellationToken)
    {
        if (MediaTypes.IsManifest(chosen.MediaType) && chosen.Size > 0 && await CachedAsync(chosen, cancellationToken).ConfigureAwait(false) is { } cached)
        {
            return new RegistryManifest(cached, chosen.MediaType, chosen.ParsedDigest);
        }
        var manifest = await _client.GetManifestAsync(reference.Repository, chosen.Digest, cancellationToken).ConfigureAwait(false);
        if (manifest.Digest.ToString() == chosen.Digest && manifest.MediaType == chosen.MediaType) await KeepAsync(manifest.ToDescriptor(), manifest.Content, cancellationToken).ConfigureAwait(false);
        return manifest;
    }

    /// <summary>
    /// A small blob by digest (an image's config): from the content cache when it holds it, else fetched (verified) and
    /// kept there. Content-addressed, so never stale; it saves a request (often two: a redirect to blob storage) per image read.
    /// </summary>
    private async Task<byte[]> DocumentAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        if (await CachedAsync(descriptor, cancellationToken).ConfigureAwait(false) is { } cached) return cached;
        var bytes = await _client.GetBlobBytesAsync(reference.Repository, descriptor, cancellationToken).ConfigureAwait(false);
        await KeepAsync(descriptor, bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    /// <summary>Keeps verified bytes in the content cache for the next read; a cache that cannot take them only costs that read.</summary>
    private async Task KeepAsync(Descriptor descriptor, byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            await context.Cache.AddAsync(descriptor, new MemoryStream(bytes, writable: false), cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerException e)
        {
            context.Log.Detail($"{descriptor.Digest}: not kept in the content cache ({e.Message.TrimEnd('.')}); it is read from {Name} again next time.");
        }
    }

    private async Task<byte[]?> CachedAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        await using var stream = await context.Cache.TryOpenAsync(descriptor, cancellationToken).ConfigureAwait(false);
        if (stream is null) return null;
        using var bytes = new MemoryStream((int)descriptor.Size);
        await stream.CopyToAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes.ToArray();
    }

    /// <summary>An image manifest and its config; each layer reads its bytes through the content cache.</summary>
    private async Task<IImage> ImageAsync(RegistryManifest manifest, CancellationToken cancellationToken)
    {
        if (!manifest.IsManifest)
        {
            throw ErrorCatalogue.UnrecognizedMediaType.ToException(manifest.MediaType.Length == 0 ? "(none)" : manifest.MediaType, reference);
        }
        var parsed = ImageDocuments.Parse<ImageManifest>(manifest.Content, $"{manifest.MediaType} document", Name);
        var config = await DocumentAsync(parsed.Config, cancellationToken).ConfigureAwait(false);
        var blobs = new CachedRegistryBlobs(_client, reference.Repository, context.Cache);
        var repository = new ImageReference(reference.Registry, reference.Repository);
        var origin = $"{reference.Registry}/{reference.Repository} through the content cache";
        return Image.Read(manifest.Content, manifest.Digest, config, Name,
            (descriptor, diffId) => new BlobLayer(descriptor, diffId, blobs, origin, IsLocal: false, MountSource: repository));
    }
}

/// <summary>A registry repository's blobs, downloaded once into the content cache (verified) and read from there.</summary>
public sealed class CachedRegistryBlobs(RegistryClient client, string repository, ContentCache cache) : IBlobSource
{
    public async Task<Stream> OpenAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        // A concurrent prune may delete the entry between fetching and opening it: then fetch it again, once.
        for (var attempt = 0; ; attempt++)
        {
            var path = await cache.GetOrAddAsync(descriptor, token => client.OpenBlobStreamAsync(repository, descriptor, token),
                $"{client.Registry}/{repository}", cancellationToken).ConfigureAwait(false);
            try
            {
                return ContentCache.OpenRead(path);
            }
            catch (FileNotFoundException) when (attempt == 0)
            {
                cache.Forget(descriptor);
            }
        }
    }

    /// <summary>From the cache when it holds the blob, else streamed from the registry, verified as it is read, and not stored.</summary>
    public async Task<Stream> ReadOnceAsync(Descriptor descriptor, CancellationToken cancellationToken)
        => await cache.TryOpenAsync(descriptor, cancellationToken).ConfigureAwait(false)
           ?? await client.OpenBlobStreamAsync(repository, descriptor, cancellationToken).ConfigureAwait(false);
}

/// <summary>A registry repository's blobs, streamed straight from the registry (verified as they are read), never stored.</summary>
public sealed class RegistryBlobs(RegistryClient client, string repository) : IBlobSource
{
    public Task<Stream> OpenAsync(Descriptor descriptor, CancellationToken cancellationToken) => client.OpenBlobStreamAsync(repository, descriptor, cancellationToken);
}
