using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Registry;

namespace Containers.Oci.Stores;

/// <summary>
/// Pushes an image or an index to a registry repository: layers first (skipping those present, mounting those another
/// repository of the registry holds, else uploading the bytes the layer opens), then the config, then the manifest
/// under each tag. Tags go last so no tag ever names an incomplete image.
/// </summary>
/// <param name="target">The registry and repository to push to; its tag and digest are ignored.</param>
/// <param name="log">Gets a line per blob and per tag. Calls are serialized, though they come from several threads.</param>
/// <param name="uploadAhead">Layers this build uploaded while writing them: waited for, and counted as uploaded by this push.</param>
public sealed class RegistryPush(RegistryClientProvider clients, ImageReference target, Action<string>? log = null, int maxParallelUploads = RegistryPush.DefaultParallelUploads,
    UploadAhead? uploadAhead = null)
{
    public const int DefaultParallelUploads = 3;

    private readonly RegistryClient _client = clients.Get(target.Registry);
    private readonly Lock _logLock = new();
    private int _uploaded, _skipped, _mounted;
    private long _bytes;

    /// <param name="tags">The tags to publish; when empty the manifest is pushed by digest only.</param>
    public async Task<RegistryPushResult> PushAsync(IImage image, IReadOnlyList<string> tags, CancellationToken cancellationToken = default)
    {
        var (names, present) = await PushImageAsync(image, tags, cancellationToken).ConfigureAwait(false);
        return Result(names, image.Digest, present);
    }

    /// <summary>
    /// Pushes every image of an index by digest (or under its opt-in platform tags), then the index under each tag, so
    /// no tag ever names an index whose images are not all there.
    /// </summary>
    public async Task<RegistryPushResult> PushIndexAsync(IImageIndex index, IReadOnlyList<string> tags, IReadOnlyList<IReadOnlyList<string>> imageTags, CancellationToken cancellationToken = default)
    {
        var pushes = await Task.WhenAll(index.Images.Select((image, i) =>
            PushImageAsync(image, i < imageTags.Count ? imageTags[i] : [], cancellationToken))).ConfigureAwait(false);
        var names = await PutTagsAsync(index, tags, present: false, $", an index of {index.Images.Count} images", cancellationToken).ConfigureAwait(false);
        return Result(names, index.Digest, pushes.All(p => p.Present));
    }

    private RegistryPushResult Result(IReadOnlyList<ImageReference> names, Digest digest, bool alreadyPresent)
        => new(names, digest, _uploaded, _skipped, _mounted, Interlocked.Read(ref _bytes)) { AlreadyPresent = alreadyPresent };

    private async Task<(IReadOnlyList<ImageReference> Names, bool Present)> PushImageAsync(IImage image, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        // A repository that holds the manifest holds every blob it references (a registry accepts a manifest only when
        // its blobs are there, and keeps them while it is referenced): then there is nothing to check or upload, only
        // tags to add. An unchanged re-publish ends here with two small requests.
        var present = await PointsAtAsync(image.Digest.ToString(), image.Digest, cancellationToken).ConfigureAwait(false);
        if (present)
        {
            Log($"{target.Registry}/{target.Repository} already holds {image.Digest}; no blob was checked or sent");
        }
        else
        {
            // One entry per digest, so the same blob is never uploaded twice at once.
            var layers = Image.DistinctLayers(image);
            var uploads = _client.ParallelUploads ? Math.Max(1, maxParallelUploads) : 1;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = uploads, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(layers, parallel, async (layer, token) => await LayerAsync(layer, token).ConfigureAwait(false)).ConfigureAwait(false);
            await BlobAsync(image.Manifest.Config, "config", _ => Task.FromResult<Stream>(new MemoryStream(image.RawConfig, writable: false)), "uploaded", cancellationToken).ConfigureAwait(false);
        }
        return (await PutTagsAsync(image, tags, present, "", cancellationToken).ConfigureAwait(false), present);
    }

    /// <summary>Puts the manifest under each tag (by digest when there are none), skipping tags that already name it.</summary>
    private async Task<IReadOnlyList<ImageReference>> PutTagsAsync(ITaggable manifest, IReadOnlyList<string> tags, bool present, string what, CancellationToken cancellationToken)
    {
        var names = new List<ImageReference>();
        foreach (var reference in tags.Count == 0 ? [manifest.Digest.ToString()] : tags)
        {
            var pushed = tags.Count == 0 ? new ImageReference(target.Registry, target.Repository, null, reference) : target.WithTag(reference);
            names.Add(pushed);
            if ((tags.Count == 0 && present) || await PointsAtAsync(reference, manifest.Digest, cancellationToken).ConfigureAwait(false))
            {
                Log($"{pushed} already points at {manifest.Digest}; its manifest was not sent again");
                continue;
            }
            await _client.PutManifestAsync(target.Repository, reference, manifest.RawManifest, manifest.MediaType, cancellationToken).ConfigureAwait(false);
            Log($"Pushed {pushed} ({manifest.Digest}{what})");
        }
        return names;
    }

    private async Task LayerAsync(ILayer layer, CancellationToken cancellationToken)
    {
        if (uploadAhead is not null && layer.IsLocal && await uploadAhead.UploadedAsync(layer.Descriptor).ConfigureAwait(false))
        {
            // The registry took its closing PUT ?digest=, so it holds the blob: no HEAD needed.
            Uploaded(layer.Descriptor, "layer", "uploaded while written");
            return;
        }
        if (layer.IsLocal || layer.MountSource is null)
        {
            await BlobAsync(layer.Descriptor, "layer", layer.OpenAsync, $"uploaded from {layer.Origin}", cancellationToken).ConfigureAwait(false);
            return;
        }
        if (await ExistsAsync(layer.Descriptor, "layer", cancellationToken).ConfigureAwait(false)) return;
        var source = layer.MountSource;
        if (string.Equals(source.Registry, target.Registry, StringComparison.OrdinalIgnoreCase) && source.Repository != target.Repository
            && await _client.TryMountBlobAsync(target.Repository, layer.Descriptor.ParsedDigest, source.Repository, cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _mounted);
            Log($"layer {Short(layer.Descriptor)}: mounted from {source.Repository}");
            return;
        }
        await _client.UploadBlobAsync(target.Repository, layer.Descriptor, layer.OpenAsync, cancellationToken).ConfigureAwait(false);
        Uploaded(layer.Descriptor, "layer", $"copied from {layer.Origin}");
    }

    private async Task BlobAsync(Descriptor descriptor, string kind, Func<CancellationToken, Task<Stream>> open, string how, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(descriptor, kind, cancellationToken).ConfigureAwait(false)) return;
        await _client.UploadBlobAsync(target.Repository, descriptor, open, cancellationToken).ConfigureAwait(false);
        Uploaded(descriptor, kind, how);
    }

    /// <summary>True when the tag (or digest) already names this manifest, so a PUT would change nothing. A registry that cannot say gets the PUT.</summary>
    private async Task<bool> PointsAtAsync(string reference, Digest manifestDigest, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetManifestDigestAsync(target.Repository, reference, cancellationToken).ConfigureAwait(false) == manifestDigest;
        }
        catch (ContainerException e) when (e.Kind == FailureKind.RegistryAnswer)
        {
            return false;
        }
    }

    private async Task<bool> ExistsAsync(Descriptor descriptor, string kind, CancellationToken cancellationToken)
    {
        if (!await _client.BlobExistsAsync(target.Repository, descriptor, cancellationToken).ConfigureAwait(false)) return false;
        Interlocked.Increment(ref _skipped);
        Log($"{kind} {Short(descriptor)}: already present");
        return true;
    }

    private void Uploaded(Descriptor descriptor, string kind, string how)
    {
        Interlocked.Increment(ref _uploaded);
        Interlocked.Add(ref _bytes, descriptor.Size);
        Log($"{kind} {Short(descriptor)}: {how} ({RegistryPushResult.FormatBytes(descriptor.Size)})");
    }

    private void Log(string line)
    {
        if (log is null) return;
        lock (_logLock) log(line);
    }

    private static string Short(Descriptor descriptor) => descriptor.Digest.Length > 19 ? descriptor.Digest[..19] : descriptor.Digest;
}
