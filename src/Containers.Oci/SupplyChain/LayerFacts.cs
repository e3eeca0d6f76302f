using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.Oci.SupplyChain;

/// <summary>
/// What one layer holds of the files an SBOM reads (dpkg's status, status.d records, os-release) and which of them it
/// deletes (whiteouts). Read by streaming the layer's tar once, skipping every other file's bytes; a layer whose tar is
/// sorted (as reproducible builders write them) is left as soon as the names pass <c>var/lib/dpkg/status.d/</c>.
/// </summary>
public sealed record LayerFacts(IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Deleted, IReadOnlyList<string> Opaque)
{
    internal const string Status = "var/lib/dpkg/status";
    internal const string StatusD = "var/lib/dpkg/status.d/";
    internal static readonly string[] OsRelease = ["etc/os-release", "usr/lib/os-release"];
    private const int MaxFileSize = 16 << 20;

    public static bool IsWanted(string path)
        => path == Status || OsRelease.Contains(path) || (path.StartsWith(StatusD, StringComparison.Ordinal) && !path.EndsWith(".md5sums", StringComparison.Ordinal) && path.Length > StatusD.Length);

    /// <summary>True when deleting <paramref name="path"/> (a whiteout) could remove a wanted file: it is one, or one of their folders.</summary>
    private static bool Matters(string path)
        => IsWanted(path) || (Status + "/").StartsWith(path + "/", StringComparison.Ordinal) || StatusD.StartsWith(path + "/", StringComparison.Ordinal)
           || OsRelease.Any(o => o.StartsWith(path + "/", StringComparison.Ordinal));

    /// <summary>Reads the layer; null when its media type is not a tar we can read (a foreign or encrypted layer).</summary>
    /// <param name="keep">
    /// False when nothing else will read the layer's bytes on this machine: they are then streamed (<see cref="ILayer.ReadOnceAsync"/>),
    /// the download overlapping the inflating, and read to the end even after the wanted names have passed, so that
    /// the digest is checked before the facts are believed.
    /// </param>
    public static async Task<LayerFacts?> ReadAsync(ILayer layer, CancellationToken cancellationToken, bool keep = true)
    {
        var mediaType = layer.Descriptor.MediaType;
        if (mediaType is not (MediaTypes.OciLayerGzip or MediaTypes.DockerLayerGzip or MediaTypes.OciLayerZstd or MediaTypes.OciLayer or MediaTypes.DockerLayer)) return null;
        var compressed = await (keep ? layer.OpenAsync(cancellationToken) : layer.ReadOnceAsync(cancellationToken)).ConfigureAwait(false);
        await using (compressed.ConfigureAwait(false))
        {
            // Read synchronously on a thread of its own: the tar reader skips a file's bytes in 4 KB reads, and each
            // asynchronous read through the decompressor cost more than the inflating it did (about a third of the
            // CPU of a scan of dotnet/aspnet). Closing the stream is what stops a read blocked on the network.
            await using var stop = cancellationToken.Register(compressed.Dispose).ConfigureAwait(false);
            return await Task.Factory.StartNew(() => Read(compressed, mediaType, keep, cancellationToken), cancellationToken,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private static LayerFacts Read(Stream compressed, string mediaType, bool keep, CancellationToken cancellationToken)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var deleted = new SortedSet<string>(StringComparer.Ordinal);
        var opaque = new SortedSet<string>(StringComparer.Ordinal);
        // Large reads from the decompressor, whatever size the tar reader asks for (the buffer closes the decompressor,
        // never the layer's stream, which must stay open to be read to its end).
        using var tar = mediaType switch
        {
            MediaTypes.OciLayerGzip or MediaTypes.DockerLayerGzip => new BufferedStream(new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true), ReadBuffer),
            MediaTypes.OciLayerZstd => new BufferedStream(new ZstdSharp.DecompressionStream(compressed, leaveOpen: true), ReadBuffer),
            _ => null,
        };
        using var reader = new TarReader(tar ?? compressed, leaveOpen: true);
        string previous = "";
        var sorted = true;
        var count = 0;
        while (Next(reader, cancellationToken) is { } entry)
        {
            var path = Normalize(entry.Name);
            sorted &= string.CompareOrdinal(previous, path) <= 0;
            previous = path;
            // A few dozen names in order make a sorted tar likely; only then is passing the wanted names a reason to stop.
            if (sorted && ++count > 32 && string.CompareOrdinal(path, StatusD) > 0 && !path.StartsWith(StatusD, StringComparison.Ordinal)) break;

            var name = path[(path.LastIndexOf('/') + 1)..];
            var folder = path.Length > name.Length ? path[..(path.Length - name.Length - 1)] : "";
            if (name == ".wh..wh..opq")
            {
                if (Matters(folder)) opaque.Add(folder);
            }
            else if (name.StartsWith(".wh.", StringComparison.Ordinal))
            {
                var target = folder.Length == 0 ? name[4..] : $"{folder}/{name[4..]}";
                if (Matters(target)) deleted.Add(target);
            }
            else if (IsWanted(path) && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is { } data && entry.Length <= MaxFileSize)
            {
                using var text = new StreamReader(data, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
                files[path] = text.ReadToEnd();
            }
        }
        // A streamed blob is verified only once all of it has been read (it throws here when it does not match).
        if (!keep) compressed.CopyTo(Stream.Null);
        return new LayerFacts(files, deleted.ToList(), opaque.ToList());
    }

    private const int ReadBuffer = 1 << 18;

    private static TarEntry? Next(TarReader reader, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return reader.GetNextEntry(copyData: false);
        }
        catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);   // the stream was closed to stop the read
        }
    }

    private static string Normalize(string name)
    {
        var path = name.Replace('\\', '/');
        while (path.StartsWith("./", StringComparison.Ordinal)) path = path[2..];
        return path.Trim('/');
    }

    /// <summary>The wanted files of a stack of layers, bottom first, as the container sees them (whiteouts applied).</summary>
    public static IReadOnlyDictionary<string, string> Overlay(IEnumerable<LayerFacts> layers)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            foreach (var folder in layer.Opaque) Remove(files, folder, keepFolderItself: true);
            foreach (var path in layer.Deleted) Remove(files, path, keepFolderItself: false);
            foreach (var (path, text) in layer.Files) files[path] = text;
        }
        return files;
    }

    private static void Remove(SortedDictionary<string, string> files, string path, bool keepFolderItself)
    {
        foreach (var key in files.Keys.Where(k => (!keepFolderItself && k == path) || k.StartsWith(path + "/", StringComparison.Ordinal)).ToList()) files.Remove(key);
    }
}
