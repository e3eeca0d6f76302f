using System.IO.Compression;
using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Images;

namespace Containers.Oci.Destinations;

/// <summary>
/// Writes the image to an archive file: docker-archive for Docker media types, oci-archive for OCI ones (see
/// <see cref="ImageArchiveWriter"/>), and
/// gzip-compressed exactly when the name ends in .gz or .tgz, so the file is what its name says. It is written
/// beside its final name and renamed when complete, so a reader never sees half an archive.
/// </summary>
public sealed class ArchiveDestination(ArchiveTarget target) : IImageDestination
{
    public Task CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target.Path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ErrorCatalogue.ImageWriteFailed.ToException(e, target.Path, e.Message.TrimEnd('.'));
        }
        return Task.CompletedTask;
    }

    public static bool IsCompressedName(string path)
        => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase);

    public async Task<DestinationResult> WriteAsync(BuiltImage image, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        await CheckAsync(cancellationToken).ConfigureAwait(false);
        var names = tags.Select(target.NameFor).ToList();
        var compressed = IsCompressedName(target.Path);
        var temp = Path.Combine(Path.GetDirectoryName(target.Path)!, $".{Path.GetFileName(target.Path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                // The layers inside are compressed already: the fastest level costs little and gains as much.
                var output = compressed ? new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true) : (Stream)file;
                await using (output.ConfigureAwait(false))
                {
                    await ImageArchiveWriter.WriteAsync(output, image, names, cancellationToken).ConfigureAwait(false);
                }
            }
            File.Move(temp, target.Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ContentCache.TryDelete(temp);
            throw ErrorCatalogue.ImageWriteFailed.ToException(e, target.Path, e.Message.TrimEnd('.'));
        }
        catch
        {
            ContentCache.TryDelete(temp);
            throw;
        }

        var kind = ImageArchiveWriter.KindOf(image);
        var size = new FileInfo(target.Path).Length;
        return new DestinationResult(names, "Wrote", $"{kind}{(compressed ? ", gzip-compressed" : "")}, '{target.Path}' ({ByteSize.Format(size)})")
        {
            ArchivePath = target.Path,
        };
    }
}
