using System.Text.Json;
using Containers.Oci.Content;
using Containers.Oci.Model;

namespace Containers.Oci.Layers;

/// <summary>What <see cref="LayerCache.Prune"/> removed.</summary>
public sealed record LayerCachePruneResult(int Records, int Blobs, long BlobBytes, int TemporaryFiles);

public sealed partial class LayerCache
{
    /// <summary>The record keys the last publish used, one a line, so the next one keeps them too.</summary>
    private const string LastPublishFile = "last-publish.txt";

    /// <summary>
    /// Run after a publish has got all its layers. The rule: keep the records this publish used and those the publish
    /// before it used (so going back one change, a branch switch or an undo, is still answered from the cache); remove
    /// every other record, then every blob no kept record points at, then temporary files older than
    /// <see cref="ContentCache.StaleTemporaryAge"/> (a killed build's; younger ones may be a running build's). So the
    /// cache holds at most two publishes' layers, however often they change. Best effort: a file that cannot be removed
    /// stays until the next publish, and never fails this one.
    /// </summary>
    public LayerCachePruneResult Prune()
    {
        var keep = new HashSet<string>(_used.Keys, StringComparer.Ordinal);
        var lastPublish = Path.Combine(_directory, LastPublishFile);
        foreach (var key in ReadLines(lastPublish)) keep.Add(key);
        var cutoff = DateTime.UtcNow - ContentCache.StaleTemporaryAge;
        int records = 0, blobs = 0, temporary = 0;
        long blobBytes = 0;

        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Files(_recordDirectory))
        {
            if (IsTemporary(file.Name))
            {
                if (file.LastWriteTimeUtc < cutoff && TryDelete(file)) temporary++;
                continue;
            }
            var key = Path.GetFileNameWithoutExtension(file.Name);
            if (file.Extension == ".json" && keep.Contains(key))
            {
                if (RecordDigest(file.FullName) is { } digest) referenced.Add(digest.Encoded);
            }
            else if (TryDelete(file))
            {
                records++;
            }
        }
        foreach (var file in Files(_blobDirectory))
        {
            if (IsTemporary(file.Name))
            {
                if (file.LastWriteTimeUtc < cutoff && TryDelete(file)) temporary++;
            }
            else if (!referenced.Contains(file.Name))
            {
                var length = file.Length;
                if (TryDelete(file)) (blobs, blobBytes) = (blobs + 1, blobBytes + length);
            }
        }
        foreach (var file in Files(_directory).Where(f => IsTemporary(f.Name) && f.LastWriteTimeUtc < cutoff))
        {
            if (TryDelete(file)) temporary++;
        }

        WriteLines(lastPublish, _used.Keys.Order(StringComparer.Ordinal));
        return new LayerCachePruneResult(records, blobs, blobBytes, temporary);
    }

    /// <summary>Ours are <c>.tmp-&lt;guid&gt;</c> (blobs) and <c>&lt;name&gt;.tmp-&lt;guid&gt;</c> (records, the file digest memo, the last-publish list).</summary>
    private static bool IsTemporary(string name) => name.Contains(".tmp-", StringComparison.Ordinal);

    private static IEnumerable<FileInfo> Files(string directory)
    {
        try
        {
            return Directory.Exists(directory) ? new DirectoryInfo(directory).GetFiles() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static Digest? RecordDigest(string path)
    {
        try
        {
            var record = JsonSerializer.Deserialize(File.ReadAllBytes(path), LayerCacheJsonContext.Default.Record);
            return record is not null && Digest.TryParse(record.Digest, out var digest) ? digest : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static void WriteLines(string path, IEnumerable<string> lines)
    {
        var temp = $"{path}.tmp-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllLines(temp, lines);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without the list the next publish keeps only its own layers: it costs a rebuild, never a wrong layer.
            try { File.Delete(temp); } catch (Exception f) when (f is IOException or UnauthorizedAccessException) { }
        }
    }

    private static bool TryDelete(FileInfo file)
    {
        try
        {
            file.Delete();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
