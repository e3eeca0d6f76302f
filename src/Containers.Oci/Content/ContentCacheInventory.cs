using Containers.Oci.Model;

namespace Containers.Oci.Content;

/// <summary>One blob in the cache; <see cref="LastUsed"/> is when a build last wrote or reused it.</summary>
public sealed record CacheEntry(Digest Digest, long Size, DateTimeOffset LastUsed, string Path);

/// <summary>What the cache holds: its entries, and the temporary files builds are writing or left behind.</summary>
public sealed record CacheUsage(string Directory, IReadOnlyList<CacheEntry> Entries, int TemporaryFiles, long TemporaryBytes)
{
    public long TotalBytes => Entries.Sum(e => e.Size);
}

/// <summary>What a prune removed and what is left.</summary>
public sealed record CachePruneResult(int RemovedEntries, long RemovedBytes, int RemovedTemporaryFiles, CacheUsage Remaining);

/// <summary>
/// Lists and prunes a <see cref="ContentCache"/> folder. Pruning deletes whole entries, least recently used first;
/// a build that is reading one at that moment keeps its open file (Unix), and a later build just fetches it again.
/// </summary>
public static class ContentCacheInventory
{
    /// <summary>ContainerCachePruneMaxSize and ContainerCachePruneMaxAge as given (empty: no limit); CONTAINER5211 when not valid.</summary>
    public static (long? MaxBytes, TimeSpan? MaxAge) ParseLimits(string? maxSize, string? maxAge)
    {
        long? bytes = null;
        TimeSpan? age = null;
        if (!string.IsNullOrWhiteSpace(maxSize))
        {
            bytes = ByteSize.TryParse(maxSize, out var b) ? b : throw Errors.ErrorCatalogue.InvalidCacheLimit.ToException("ContainerCachePruneMaxSize", maxSize);
        }
        if (!string.IsNullOrWhiteSpace(maxAge))
        {
            age = CacheAge.TryParse(maxAge, out var a) ? a : throw Errors.ErrorCatalogue.InvalidCacheLimit.ToException("ContainerCachePruneMaxAge", maxAge);
        }
        return (bytes, age);
    }

    public static CacheUsage List(string directory)
    {
        var entries = new List<CacheEntry>();
        var blobs = new DirectoryInfo(Path.Combine(directory, "blobs"));
        if (blobs.Exists)
        {
            foreach (var algorithm in blobs.EnumerateDirectories())
            {
                foreach (var file in algorithm.EnumerateFiles())
                {
                    // Only names that are digests are entries; anything else was not written by us.
                    if (!Digest.TryParse($"{algorithm.Name}:{file.Name}", out var digest)) continue;
                    entries.Add(new CacheEntry(digest, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero), file.FullName));
                }
            }
        }
        var temporary = new DirectoryInfo(Path.Combine(directory, "tmp"));
        var temporaryFiles = temporary.Exists ? temporary.GetFiles() : [];
        return new CacheUsage(directory, entries.OrderByDescending(e => e.LastUsed).ThenBy(e => e.Digest.ToString(), StringComparer.Ordinal).ToList(),
            temporaryFiles.Length, temporaryFiles.Sum(f => f.Length));
    }

    /// <summary>
    /// Removes entries unused for longer than <paramref name="maxAge"/>, then the least recently used until the cache
    /// holds at most <paramref name="maxBytes"/>, and temporary files no build has written to for an hour.
    /// With neither limit, everything is removed.
    /// </summary>
    public static CachePruneResult Prune(string directory, long? maxBytes, TimeSpan? maxAge, DateTimeOffset now)
    {
        var usage = List(directory);
        var removed = new List<CacheEntry>();
        var keep = usage.Entries.OrderByDescending(e => e.LastUsed).ToList();
        if (maxBytes is null && maxAge is null)
        {
            removed.AddRange(keep);
            keep.Clear();
        }
        if (maxAge is { } age)
        {
            removed.AddRange(keep.Where(e => now - e.LastUsed > age));
            keep.RemoveAll(e => now - e.LastUsed > age);
        }
        if (maxBytes is { } limit)
        {
            var total = keep.Sum(e => e.Size);
            while (total > limit && keep.Count > 0)
            {
                var oldest = keep[^1];
                keep.RemoveAt(keep.Count - 1);
                removed.Add(oldest);
                total -= oldest.Size;
            }
        }
        foreach (var entry in removed) ContentCache.TryDelete(entry.Path);

        var removedTemporary = 0;
        var temporary = new DirectoryInfo(Path.Combine(directory, "tmp"));
        if (temporary.Exists)
        {
            foreach (var file in temporary.EnumerateFiles())
            {
                if (now.UtcDateTime - file.LastWriteTimeUtc <= ContentCache.StaleTemporaryAge) continue;
                ContentCache.TryDelete(file.FullName);
                removedTemporary++;
            }
        }
        return new CachePruneResult(removed.Count, removed.Sum(e => e.Size), removedTemporary, List(directory));
    }
}
