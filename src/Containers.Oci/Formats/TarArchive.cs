using System.Formats.Tar;
using System.IO.Compression;

namespace Containers.Oci.Formats;

/// <summary>Reads an image archive front to back, plain or gzip-compressed (whatever its name says).</summary>
internal static class TarArchive
{
    /// <summary>The archive's tar stream: the file itself, or its gzip decompression when it starts with gzip's magic bytes.</summary>
    public static Stream OpenTar(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        Span<byte> magic = stackalloc byte[2];
        var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>Calls <paramref name="visit"/> for each entry in order; an entry's data can be read only during its call.</summary>
    public static async Task ForEachAsync(string path, Func<TarEntry, Task> visit, CancellationToken cancellationToken)
    {
        await using var tar = OpenTar(path);
        await using var reader = new TarReader(tar, leaveOpen: false);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            await visit(entry).ConfigureAwait(false);
        }
    }
}
