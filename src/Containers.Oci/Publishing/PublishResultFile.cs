using System.Text.Json;
using System.Text.Json.Serialization;

namespace Containers.Oci.Publishing;

/// <summary>
/// What a publish produced, as CI scripts want it without reading logs: the image's names, digest and tags, where it
/// went, and whether it reached a registry. Written as <c>&lt;name&gt;.container.json</c> beside the publish folder.
/// </summary>
public sealed record PublishResultDocument
{
    /// <summary>The first name the image got, e.g. <c>localhost:5000/app:1.0</c>.</summary>
    public required string Image { get; init; }

    /// <summary>Every name it got: one per tag.</summary>
    public required IReadOnlyList<string> Names { get; init; }

    /// <summary>The registry it was pushed to, or for a local destination the one it is named after; null when none.</summary>
    public string? Registry { get; init; }

    public required string Repository { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>The manifest digest, <c>sha256:…</c>: the same image can be pulled as <c>repository@digest</c>.</summary>
    public required string Digest { get; init; }

    public required string MediaType { get; init; }

    /// <summary><c>registry</c>, <c>local-daemon</c>, <c>archive</c> or <c>oci-layout</c>.</summary>
    public required string Destination { get; init; }

    /// <summary>True when the image is in a registry now; false for the local destinations.</summary>
    public required bool Pushed { get; init; }

    /// <summary>The archive file written, for the archive destination.</summary>
    public string? ArchivePath { get; init; }

    /// <summary>The OS packages installed (ContainerPackage items and what they need); null when there were none.</summary>
    public IReadOnlyList<Packages.InstalledPackage>? Packages { get; init; }

    /// <summary>The SBOM files written beside the publish output (one per platform image); null when none.</summary>
    public IReadOnlyList<string>? Sbom { get; init; }
}

/// <summary>Reads and writes <see cref="PublishResultDocument"/> files. A write never leaves a half-written file behind.</summary>
public static class PublishResultFile
{
    /// <summary>The destination's kind as the result file names it: registry, local-daemon, archive or oci-layout.</summary>
    /// <summary>What a publish produced, for the file: its names in the destination, and the image's or index's digest.</summary>
    public static PublishResultDocument Describe(ContainerPublishRequest request, IReadOnlyList<string> names, Images.ITaggable content, string? archivePath,
        IReadOnlyList<Packages.InstalledPackage>? packages = null) => new()
    {
        Image = names.Count > 0 ? names[0] : request.Destination.Name.NameFor(request.Tags[0]),
        Names = names,
        Registry = request.Destination.Name.Registry,
        Repository = request.Destination.Name.Repository,
        Tags = request.Tags,
        Digest = content.Digest.ToString(),
        MediaType = content.MediaType,
        Destination = DestinationKind(request.Destination.Location),
        Pushed = request.Destination.Location is Stores.RegistryLocation,
        ArchivePath = archivePath,
        Packages = packages is { Count: > 0 } ? packages : null,
    };

    public static string DestinationKind(Stores.ImageLocation location) => location switch
    {
        Stores.RegistryLocation => "registry",
        Stores.DaemonStoreLocation => "local-daemon",
        Stores.ArchiveLocation => "archive",
        Stores.OciLayoutLocation => "oci-layout",
        _ => location.GetType().Name,
    };


    /// <summary>Removes a result from an earlier publish, so a failed publish cannot be mistaken for a successful one.</summary>
    public static void Delete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Errors.ErrorCatalogue.ResultFileNotWritable.ToException(e, path, e.Message.TrimEnd('.'));
        }
    }

    /// <summary>
    /// Proves, before anything is published, that the result can be written afterwards: the folder is created, and a
    /// temporary file made and removed beside <paramref name="path"/> (how <see cref="WriteAsync"/> writes it). Otherwise
    /// a publish could move its tags and then fail (CONTAINER5500).
    /// </summary>
    public static void CheckWritable(string path)
    {
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Errors.ErrorCatalogue.ResultFileNotWritable.ToException(path, "it is not a valid path");
        }
        if (Directory.Exists(full)) throw Errors.ErrorCatalogue.ResultFileNotWritable.ToException(path, "it is a folder");
        var probe = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Errors.ErrorCatalogue.ResultFileNotWritable.ToException(e, path, e.Message.TrimEnd('.'));
        }
        finally
        {
            try { File.Delete(probe); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* the write afterwards reports it */ }
        }
    }

    /// <summary>Writes the document to a temporary file beside <paramref name="path"/>, then renames it into place.</summary>
    public static async Task WriteAsync(string path, PublishResultDocument document, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await JsonSerializer.SerializeAsync(stream, document, PublishResultJsonContext.Default.PublishResultDocument, cancellationToken).ConfigureAwait(false);
                await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Checked before publishing (CheckWritable); a folder that became unwritable since is still a coded error.
            throw Errors.ErrorCatalogue.ResultFileNotWritable.ToException(e, path, e.Message.TrimEnd('.'));
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public static PublishResultDocument? Read(string path)
        => File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), PublishResultJsonContext.Default.PublishResultDocument) : null;
}

/// <summary>The result file's shape (camelCase, indented, nulls left out), serialized by code generated at compile time.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(PublishResultDocument))]
internal sealed partial class PublishResultJsonContext : JsonSerializerContext;
