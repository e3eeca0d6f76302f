using Containers.Oci.Errors;

namespace Containers.Oci.SupplyChain;

/// <summary>The SBOM beside the publish output: checked writable before anything is published, written whole or not at all.</summary>
public static class SbomFile
{
    public static void CheckWritable(string path)
    {
        var probe = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            if (Directory.Exists(path)) throw ErrorCatalogue.SbomFileNotWritable.ToException(path, "it is a folder");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw ErrorCatalogue.SbomFileNotWritable.ToException(e, path, e.Message.TrimEnd('.'));
        }
        finally
        {
            try { File.Delete(probe); } catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { /* the write reports it */ }
        }
    }

    /// <summary>Writes to a temporary file beside <paramref name="path"/>, then renames it into place.</summary>
    public static async Task WriteAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var temporary = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllBytesAsync(temporary, content, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ErrorCatalogue.SbomFileNotWritable.ToException(e, path, e.Message.TrimEnd('.'));
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
