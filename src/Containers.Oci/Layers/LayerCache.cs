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
    private readonly string _directory;
    private readonly string _recordDirectory;
    private readonly string _blobDirectory;
    private readonly FileDigestMemo _files;
    private readonly PackageFiles _packages;
    /// <summary>The record keys this publish asked for, found or written.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _used = new(StringComparer.Ordinal);

    public LayerCache(string directory, bool rememberFileDigests = true, PackageFiles? packages = null)
    {
        _packages = packages ?? PackageFiles.None;
        _directory = directory;
        _recordDirectory = Path.Combine(directory, "layers");
        _blobDirectory = Path.Combine(directory, "blobs");
        _files = rememberFileDigests ? FileDigestMemo.Load(Path.Combine(directory, "file-digests.tsv")) : FileDigestMemo.None;
    }

    public string BlobDirectory => _blobDirectory;

    /// <summary>True when the cache holds no layer record yet: the first publish of this project here, or a fresh agent.</summary>
    public bool IsEmpty => !Directory.Exists(_recordDirectory) || !Directory.EnumerateFiles(_recordDirectory, "*.json").Any();

    /// <summary>Returns the cached layer for the plan, or writes it and remembers it. <c>Reused</c> says which.</summary>
    public async Task<(FileLayer Layer, bool Reused)> GetOrWriteAsync(LayerPlan plan, DateTimeOffset timestamp, LayerCompression compression, CancellationToken cancellationToken)
    {
        var key = Key(plan, timestamp, compression, cancellationToken);
        if (TryGet(key) is { } cached) return (cached, true);
        return (await WriteAsync(key, plan, timestamp, compression, cancellationToken).ConfigureAwait(false), false);
    }

    /// <summary>The plan's key (<see cref="LayerKeys"/>), with this cache's file digests and package files.</summary>
    public string Key(LayerPlan plan, DateTimeOffset timestamp, LayerCompression compression, CancellationToken cancellationToken)
        => LayerKeys.Compute(plan, timestamp, compression, _files, _packages, cancellationToken);

    /// <summary>The layer this cache holds for the key, or null; either way the key counts as used by this publish.</summary>
    public FileLayer? TryGet(string key)
    {
        _used.TryAdd(key, 0);
        return TryRead(RecordPath(key)) is { } cached ? WithKey(cached, key) : null;
    }

    /// <summary>Writes the plan's layer and remembers it under the key; <paramref name="observer"/> may follow the write.</summary>
    public async Task<FileLayer> WriteAsync(string key, LayerPlan plan, DateTimeOffset timestamp, LayerCompression compression, CancellationToken cancellationToken, ILayerWriteObserver? observer = null)
    {
        _used.TryAdd(key, 0);
        var layer = await new LayerWriter(timestamp, compression).WriteAsync(plan, _blobDirectory, cancellationToken, observer).ConfigureAwait(false);
        Write(RecordPath(key), layer);
        return WithKey(layer, key);
    }

    /// <summary>Remembers the file hashes of this build for the next one (see <see cref="FileDigestMemo"/>).</summary>
    public void SaveFileDigests() => _files.Save();

    /// <summary>Files whose content was read to compute keys (the others were answered by the file digest memo or their package).</summary>
    public int FilesHashed => _files.Hashed;

    /// <summary>Files keyed by their package's hash, not read.</summary>
    public int PackageFilesMatched => _packages.Matched;

    /// <summary>The key with the memo's file hashes and no package files (see <see cref="LayerKeys.Compute"/>).</summary>
    internal static string ComputeKey(LayerPlan plan, DateTimeOffset timestamp, LayerCompression compression, FileDigestMemo files, CancellationToken cancellationToken)
        => LayerKeys.Compute(plan, timestamp, compression, files, PackageFiles.None, cancellationToken);

    private string RecordPath(string key) => Path.Combine(_recordDirectory, key + ".json");

    /// <summary>The layer with its key on its descriptor, so the image records it (OCI manifests only, see <see cref="LayerKeyAnnotation"/>).</summary>
    private static FileLayer WithKey(FileLayer layer, string key) => layer with { Descriptor = LayerKeyAnnotation.With(layer.Descriptor, LayerKeys.Recorded(key)) };

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
