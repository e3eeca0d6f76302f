using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.Oci.Layers;

/// <summary>
/// Remembers finished layers by everything that decides their bytes: each entry's path, kind, mode, owner, link
/// target, size and content hash, plus the timestamp and compression. A layer whose inputs are unchanged is neither
/// re-tarred nor recompressed. Entries and blobs are written to temporary files and renamed into place, so a killed
/// build never leaves a record that points at a partial blob. <see cref="Prune"/> keeps it to what the last two
/// publishes used.
/// </summary>
public sealed partial class LayerCache
{
    private const string FormatVersion = "containers-layer-cache/2";   // 2: gzip layers deflated in parallel
    private readonly string _directory;
    private readonly string _recordDirectory;
    private readonly string _blobDirectory;
    private readonly FileDigestMemo _files;
    /// <summary>The record keys this publish asked for, found or written.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _used = new(StringComparer.Ordinal);

    public LayerCache(string directory, bool rememberFileDigests = true)
    {
        _directory = directory;
        _recordDirectory = Path.Combine(directory, "layers");
        _blobDirectory = Path.Combine(directory, "blobs");
        _files = rememberFileDigests ? FileDigestMemo.Load(Path.Combine(directory, "file-digests.tsv")) : FileDigestMemo.None;
    }

    public string BlobDirectory => _blobDirectory;

    /// <summary>Returns the cached layer for the plan, or writes it and remembers it. <c>Reused</c> says which.</summary>
    public async Task<(FileLayer Layer, bool Reused)> GetOrWriteAsync(LayerPlan plan, DateTimeOffset timestamp, LayerCompression compression, CancellationToken cancellationToken)
    {
        var key = ComputeKey(plan, timestamp, compression, _files, cancellationToken);
        _used.TryAdd(key, 0);
        var recordPath = Path.Combine(_recordDirectory, key + ".json");
        if (TryRead(recordPath) is { } cached) return (cached, true);

        var layer = await new LayerWriter(timestamp, compression).WriteAsync(plan, _blobDirectory, cancellationToken).ConfigureAwait(false);
        Write(recordPath, layer);
        return (layer, false);
    }

    /// <summary>Remembers the file hashes of this build for the next one (see <see cref="FileDigestMemo"/>).</summary>
    public void SaveFileDigests() => _files.Save();

    /// <summary>Files whose content was read to compute keys (the others were answered by the file digest memo).</summary>
    public int FilesHashed => _files.Hashed;

    /// <summary>
    /// The key: a SHA-256 over a canonical text of every input, file contents by their SHA-256. The hashes come from
    /// <paramref name="files"/>, which reads only files that changed since the last build.
    /// </summary>
    internal static string ComputeKey(LayerPlan plan, DateTimeOffset timestamp, LayerCompression compression, FileDigestMemo files, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Line(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        Line(FormatVersion);
        Line($"compression {compression}");
        Line($"time {timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}");
        foreach (var entry in plan.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var content = "";
            if (entry.Kind == LayerEntryKind.File)
            {
                var (size, sha256) = files.Get(entry.SourcePath!);
                content = $"{size.ToString(CultureInfo.InvariantCulture)} {sha256}";
            }
            Line(string.Join('\t', entry.Path, entry.Kind, entry.Mode, entry.Uid, entry.Gid, entry.LinkTarget ?? "", content));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private FileLayer? TryRead(string recordPath)
    {
        try
        {
            var record = JsonSerializer.Deserialize(File.ReadAllBytes(recordPath), LayerCacheJsonContext.Default.Record);
            if (record is null || !Digest.TryParse(record.Digest, out var digest)) return null;
            var blob = Path.Combine(_blobDirectory, digest.Encoded);
            // The blob is named by its digest and renamed into place only when complete; its size guards against tampering.
            if (!File.Exists(blob) || new FileInfo(blob).Length != record.Size) return null;
            return new FileLayer(new Descriptor { MediaType = record.MediaType, Digest = record.Digest, Size = record.Size }, record.DiffId, blob);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Write(string recordPath, FileLayer layer)
    {
        var temp = recordPath + $".tmp-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(_recordDirectory);
            File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(new Record(layer.Descriptor.Digest, layer.DiffId, layer.Descriptor.Size, layer.Descriptor.MediaType), LayerCacheJsonContext.Default.Record));
            File.Move(temp, recordPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); }
            catch (Exception f) when (f is IOException or UnauthorizedAccessException) { }
            throw LayerWriter.CannotWrite(_recordDirectory, e);
        }
    }

    internal sealed record Record(string Digest, string DiffId, long Size, string MediaType);
}

/// <summary>The layer cache's record, serialized by code generated at compile time.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(LayerCache.Record))]
internal sealed partial class LayerCacheJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
