using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Registry;

namespace Containers.Oci.Destinations;

/// <summary>
/// Pushes a built image to a registry: layers first (skipping those present, mounting or copying base layers),
/// then the config, then the manifest under each tag. Tags go last so no tag ever names an incomplete image.
/// </summary>
public sealed class RegistryDestination(RegistryClientProvider clients, int maxParallelUploads = RegistryDestination.DefaultParallelUploads)
{
    public const int DefaultParallelUploads = 3;

    /// <param name="target">The registry and repository to push to; its tag and digest are ignored.</param>
    /// <param name="tags">The tags to publish; when empty the manifest is pushed by digest only.</param>
    /// <param name="log">Gets a line per blob and per tag. Calls are serialized, though they come from several threads.</param>
    public async Task<RegistryPushResult> PushAsync(BuiltImage image, ImageReference target, IReadOnlyList<string> tags, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var push = new Push(clients, image, target, log);

        // A repository that holds the manifest holds every blob it references (a registry accepts a manifest only when
        // its blobs are there, and keeps them while it is referenced): then there is nothing to check or upload, only
        // tags to add. An unchanged re-publish ends here with two small requests.
        var present = await push.ManifestPresentAsync(image.ManifestDigest, cancellationToken).ConfigureAwait(false);
        if (present)
        {
            push.Log($"{target.Registry}/{target.Repository} already holds {image.ManifestDigest}; no blob was checked or sent");
        }
        else
        {
            // One entry per digest, so the same blob is never uploaded twice at once; a local copy beats fetching it.
            var layers = image.Layers.GroupBy(l => l.Descriptor.Digest).Select(g => g.FirstOrDefault(l => l.IsLocal) ?? g.First()).ToList();
            var uploads = clients.Get(target.Registry).ParallelUploads ? Math.Max(1, maxParallelUploads) : 1;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = uploads, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(layers, parallel, async (layer, token) => await push.LayerAsync(layer, token).ConfigureAwait(false)).ConfigureAwait(false);

            await push.BlobAsync(image.ConfigDescriptor, "config", () => new MemoryStream(image.Config, writable: false), cancellationToken).ConfigureAwait(false);
        }

        var client = clients.Get(target.Registry);
        var references = new List<ImageReference>();
        foreach (var reference in tags.Count == 0 ? [image.ManifestDigest.ToString()] : tags)
        {
            var pushed = tags.Count == 0 ? new ImageReference(target.Registry, target.Repository, null, reference) : target.WithTag(reference);
            references.Add(pushed);
            if ((tags.Count == 0 && present) || await push.PointsAtAsync(reference, image.ManifestDigest, cancellationToken).ConfigureAwait(false))
            {
                push.Log($"{pushed} already points at {image.ManifestDigest}; its manifest was not sent again");
                continue;
            }
            await client.PutManifestAsync(target.Repository, reference, image.Manifest, image.ManifestMediaType, cancellationToken).ConfigureAwait(false);
            push.Log($"Pushed {pushed} ({image.ManifestDigest})");
        }
        return push.Result(references, image.ManifestDigest, present);
    }

    /// <summary>
    /// Pushes every image of an index by digest (or under its opt-in platform tags), then the index under each tag, so
    /// no tag ever names an index whose images are not all there.
    /// </summary>
    public async Task<RegistryPushResult> PushIndexAsync(BuiltIndex index, ImageReference target, IReadOnlyList<string> tags, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var pushes = await Task.WhenAll(index.Images.Select((image, i) =>
            PushAsync(image, target, i < index.PlatformTags.Count ? index.PlatformTags[i] : [], log, cancellationToken))).ConfigureAwait(false);

        var client = clients.Get(target.Registry);
        var references = new List<ImageReference>();
        foreach (var tag in tags.Count == 0 ? [index.Digest.ToString()] : tags)
        {
            var pushed = tags.Count == 0 ? new ImageReference(target.Registry, target.Repository, null, tag) : target.WithTag(tag);
            references.Add(pushed);
            Digest? current = null;
            try
            {
                current = await client.GetManifestDigestAsync(target.Repository, tag, cancellationToken).ConfigureAwait(false);
            }
            catch (ContainerException e) when (e.Error == ErrorCatalogue.RegistryProtocolError)
            {
            }
            if (current == index.Digest)
            {
                log?.Invoke($"{pushed} already points at {index.Digest}; its index was not sent again");
                continue;
            }
            await client.PutManifestAsync(target.Repository, tag, index.Index, index.MediaType, cancellationToken).ConfigureAwait(false);
            log?.Invoke($"Pushed {pushed} ({index.Digest}, an index of {index.Images.Count} images)");
        }
        return new RegistryPushResult(references, index.Digest,
            pushes.Sum(p => p.BlobsUploaded), pushes.Sum(p => p.BlobsSkipped), pushes.Sum(p => p.BlobsMounted), pushes.Sum(p => p.BytesUploaded))
        {
            AlreadyPresent = pushes.All(p => p.AlreadyPresent),
        };
    }

    /// <summary>The state of one push: its clients, its log and its counters.</summary>
    private sealed class Push(RegistryClientProvider clients, BuiltImage image, ImageReference target, Action<string>? log)
    {
        private readonly RegistryClient _target = clients.Get(target.Registry);
        private readonly Lock _logLock = new();
        private int _uploaded, _skipped, _mounted;
        private long _bytes;

        public void Log(string line)
        {
            if (log is null) return;
            lock (_logLock) log(line);
        }

        public async Task LayerAsync(ImageLayer layer, CancellationToken cancellationToken)
        {
            if (layer.LocalPath is { } path)
            {
                await BlobAsync(layer.Descriptor, "layer", () => OpenLayerFile(path), cancellationToken).ConfigureAwait(false);
                return;
            }
            if (await ExistsAsync(layer.Descriptor, "layer", cancellationToken).ConfigureAwait(false)) return;

            var source = image.BaseReference;
            if (source is not null && string.Equals(source.Registry, target.Registry, StringComparison.OrdinalIgnoreCase)
                && await _target.TryMountBlobAsync(target.Repository, layer.Descriptor.ParsedDigest, source.Repository, cancellationToken).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _mounted);
                Log($"layer {Short(layer.Descriptor)}: mounted from {source.Repository}");
                return;
            }

            // A base in another registry, a layout, an archive or a local store: its blob source gives the bytes,
            // downloaded (when remote) once into the content cache and verified.
            if (image.BaseBlobs is { } blobs)
            {
                await _target.UploadBlobAsync(target.Repository, layer.Descriptor, token => blobs.OpenAsync(layer.Descriptor, token), cancellationToken).ConfigureAwait(false);
                Uploaded(layer.Descriptor, source is null ? "uploaded from the base image" : $"copied from {source.Registry}/{source.Repository} through the content cache");
                return;
            }
            if (source is null)
            {
                throw ErrorCatalogue.UnexpectedFailure.ToException($"layer {layer.Descriptor.Digest} has neither a local file nor a base image to copy it from");
            }

            // Registry to registry without touching the disk; the source stream verifies the digest as it is read.
            var from = clients.Get(source.Registry);
            await _target.UploadBlobAsync(target.Repository, layer.Descriptor,
                token => from.OpenBlobStreamAsync(source.Repository, layer.Descriptor, token), cancellationToken).ConfigureAwait(false);
            Uploaded(layer.Descriptor, $"copied from {source.Registry}/{source.Repository}");
        }

        public async Task BlobAsync(Descriptor descriptor, string kind, Func<Stream> open, CancellationToken cancellationToken)
        {
            if (await ExistsAsync(descriptor, kind, cancellationToken).ConfigureAwait(false)) return;
            await _target.UploadBlobAsync(target.Repository, descriptor, open, cancellationToken).ConfigureAwait(false);
            Uploaded(descriptor, "uploaded", kind);
        }

        /// <summary>True when the repository has this manifest (under any tag, or none). A registry that cannot say is treated as not having it.</summary>
        public Task<bool> ManifestPresentAsync(Digest manifestDigest, CancellationToken cancellationToken)
            => PointsAtAsync(manifestDigest.ToString(), manifestDigest, cancellationToken);

        /// <summary>True when the tag already names this manifest, so a PUT would change nothing. A registry that cannot say gets the PUT.</summary>
        public async Task<bool> PointsAtAsync(string reference, Digest manifestDigest, CancellationToken cancellationToken)
        {
            try
            {
                return await _target.GetManifestDigestAsync(target.Repository, reference, cancellationToken).ConfigureAwait(false) == manifestDigest;
            }
            catch (ContainerException e) when (e.Error == ErrorCatalogue.RegistryProtocolError)
            {
                return false;
            }
        }

        public RegistryPushResult Result(IReadOnlyList<ImageReference> references, Digest manifestDigest, bool alreadyPresent)
            => new(references, manifestDigest, _uploaded, _skipped, _mounted, Interlocked.Read(ref _bytes)) { AlreadyPresent = alreadyPresent };

        private async Task<bool> ExistsAsync(Descriptor descriptor, string kind, CancellationToken cancellationToken)
        {
            if (!await _target.BlobExistsAsync(target.Repository, descriptor.ParsedDigest, cancellationToken).ConfigureAwait(false)) return false;
            Interlocked.Increment(ref _skipped);
            Log($"{kind} {Short(descriptor)}: already present");
            return true;
        }

        private void Uploaded(Descriptor descriptor, string how, string kind = "layer")
        {
            Interlocked.Increment(ref _uploaded);
            Interlocked.Add(ref _bytes, descriptor.Size);
            Log($"{kind} {Short(descriptor)}: {how} ({RegistryPushResult.FormatBytes(descriptor.Size)})");
        }

        // Read sequentially in big chunks: a layer is sent once, front to back.
        private static FileStream OpenLayerFile(string path)
            => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

        private static string Short(Descriptor descriptor) => descriptor.Digest.Length > 19 ? descriptor.Digest[..19] : descriptor.Digest;
    }
}
