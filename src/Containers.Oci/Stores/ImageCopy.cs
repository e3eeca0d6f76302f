using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.Oci.Stores;

/// <summary>
/// Copies an image or an index from any store to any stores. Each store writes children before parents (blobs, then
/// manifests, then the index, then tags), skips what it already holds and mounts across repositories of one registry;
/// a registry's blobs come through the content cache, so a blob sent to several places is fetched once. Referrers
/// (SBOMs, signatures) of the image, or of each image of an index, follow when asked, to the stores that keep them.
/// </summary>
public static class ImageCopy
{
    /// <param name="tags">The tags the copy gets in each destination.</param>
    /// <param name="platform">Copy only this platform's image of an index (for a destination that holds one, or by choice).</param>
    /// <param name="referrers">Also copy the artifacts whose subject is a copied manifest.</param>
    public static async Task<IReadOnlyList<WriteResult>> CopyAsync(IImageStore from, IReadOnlyList<IImageStore> to, IReadOnlyList<string> tags, Platform? platform,
        CancellationToken cancellationToken, bool referrers = false)
        => (await CopyContentAsync(from, to, tags, platform, cancellationToken, referrers).ConfigureAwait(false)).Written;

    /// <summary>As <see cref="CopyAsync"/>, and also says what was copied (the image or index read once from the source), for a caller that reports its digest.</summary>
    public static async Task<CopyResult> CopyContentAsync(IImageStore from, IReadOnlyList<IImageStore> to, IReadOnlyList<string> tags, Platform? platform,
        CancellationToken cancellationToken, bool referrers = false)
    {
        // Every destination is checked before anything is read, so a copy never half-happens because one is unusable.
        foreach (var store in to) await store.CheckWritableAsync(cancellationToken).ConfigureAwait(false);
        ITaggable root = platform is null
            ? await from.ReadAsync(cancellationToken).ConfigureAwait(false)
            : await from.ReadImageAsync(platform, null, cancellationToken).ConfigureAwait(false);

        var results = new List<WriteResult>();
        foreach (var store in to)
        {
            results.Add(root switch
            {
                IImageIndex index => await store.WriteAsync(index, tags, [], cancellationToken).ConfigureAwait(false),
                IImage image => await store.WriteAsync(image, tags, cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"A store gave a {root.GetType().Name}, which is neither an image nor an index."),
            });
        }
        if (referrers) await CopyReferrersAsync(from, to.Where(s => s.HoldsReferrers).ToList(), root, cancellationToken).ConfigureAwait(false);
        return new CopyResult(root, results);
    }

    /// <summary>Each referrer of the root and of its images, written after its subject (a referrer never names a missing manifest).</summary>
    private static async Task CopyReferrersAsync(IImageStore from, IReadOnlyList<IImageStore> to, ITaggable root, CancellationToken cancellationToken)
    {
        if (to.Count == 0 || !from.HoldsReferrers) return;
        IEnumerable<ITaggable> subjects = root is IImageIndex index ? [index, .. index.Images] : [root];
        foreach (var subject in subjects)
        {
            foreach (var referrer in await from.ReferrersAsync(subject.Descriptor, cancellationToken).ConfigureAwait(false))
            {
                var artifact = await from.ReadManifestAsync(referrer, cancellationToken).ConfigureAwait(false);
                foreach (var store in to) await store.WriteAsync(artifact, [], cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>What a copy moved (the image or index as read from the source) and what each destination did with it.</summary>
public sealed record CopyResult(ITaggable Content, IReadOnlyList<WriteResult> Written);
