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
        var names = tags.Select(target.NameFor).ToList();
        var details = await WriteFileAsync((output, token) => ImageArchiveWriter.WriteAsync(output, image, names, token), ImageArchiveWriter.KindOf(image), cancellationToken).ConfigureAwait(false);
        return new DestinationResult(names, "Wrote", details) { ArchivePath = target.Path };
    }

    /// <summary>The whole index in the OCI layout inside; docker's manifest.json (no platforms) names the host's image.</summary>
    public async Task<DestinationResult> WriteIndexAsync(BuiltIndex index, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var names = tags.Select(target.NameFor).ToList();
        var host = HostPlatform.Pick(index);
        var details = await WriteFileAsync((output, token) => ImageArchiveWriter.WriteIndexAsync(output, index, host, names, token),
            $"oci-archive with an index of {index.Images.Count} images (docker's manifest.json: {ImageIndexBuilder.PlatformOf(host)})", cancellationToken).ConfigureAwait(false);
        return new DestinationResult(names, "Wrote", details) { ArchivePath = target.Path };
    }

    private async Task<string> WriteFileAsync(Func<Stream, CancellationToken, Task> write, string kind, CancellationToken cancellationToken)
    {
        await CheckAsync(cancellationToken).ConfigureAwait(false);
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
                    await write(output, cancellationToken).ConfigureAwait(false);
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

        var size = new FileInfo(target.Path).Length;
        return $"{kind}{(compressed ? ", gzip-compressed" : "")}, '{target.Path}' ({ByteSize.Format(size)})";
    }
}
