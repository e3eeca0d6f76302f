using System.Globalization;
using Containers.Oci.Content;
using Microsoft.Build.Framework;

namespace Containers.Build.Tasks;

/// <summary>Lists the content cache of base image layers: where it is, how much it holds, each entry and when it was last used.</summary>
public sealed class ListContainerCache : ContainerTask
{
    public string? CacheDirectory { get; set; }
    public string? ProjectDirectory { get; set; }

    [Output] public string? CacheFolder { get; private set; }
    [Output] public long TotalBytes { get; private set; }

    protected override System.Threading.Tasks.Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var usage = ContentCacheInventory.List(CacheTasks.Resolve(CacheDirectory, ProjectDirectory));
        CacheFolder = usage.Directory;
        TotalBytes = usage.TotalBytes;
        Log.LogMessage(MessageImportance.High, "{0}", CacheTasks.Describe(usage));
        foreach (var entry in usage.Entries)
        {
            Log.LogMessage(MessageImportance.High, "  {0}  {1,10}  last used {2}", entry.Digest, ByteSize.Format(entry.Size),
                entry.LastUsed.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        }
        return System.Threading.Tasks.Task.CompletedTask;
    }
}

/// <summary>
/// Prunes the content cache: entries unused for longer than MaxAge, then the least recently used until it holds at
/// most MaxSize. With neither, it empties the cache. A build that needs a pruned blob downloads it again.
/// </summary>
public sealed class PruneContainerCache : ContainerTask
{
    public string? CacheDirectory { get; set; }
    public string? ProjectDirectory { get; set; }
    public string? MaxSize { get; set; }
    public string? MaxAge { get; set; }

    protected override System.Threading.Tasks.Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var (maxBytes, maxAge) = ContentCacheInventory.ParseLimits(MaxSize, MaxAge);

        var result = ContentCacheInventory.Prune(CacheTasks.Resolve(CacheDirectory, ProjectDirectory), maxBytes, maxAge, DateTimeOffset.UtcNow);
        Log.LogMessage(MessageImportance.High, "Removed {0} blob(s), {1}, and {2} stale temporary file(s). {3}",
            result.RemovedEntries, ByteSize.Format(result.RemovedBytes), result.RemovedTemporaryFiles, CacheTasks.Describe(result.Remaining));
        return System.Threading.Tasks.Task.CompletedTask;
    }
}

internal static class CacheTasks
{
    public static string Resolve(string? configured, string? projectDirectory)
        => string.IsNullOrWhiteSpace(configured)
            ? ContentCache.ResolveDirectory()
            : Path.GetFullPath(configured.Trim(), string.IsNullOrWhiteSpace(projectDirectory) ? Directory.GetCurrentDirectory() : projectDirectory);

    public static string Describe(CacheUsage usage)
        => $"Content cache '{usage.Directory}': {usage.Entries.Count} blob(s), {ByteSize.Format(usage.TotalBytes)}"
           + (usage.TemporaryFiles > 0 ? $" (and {usage.TemporaryFiles} temporary file(s), {ByteSize.Format(usage.TemporaryBytes)})." : ".");
}
