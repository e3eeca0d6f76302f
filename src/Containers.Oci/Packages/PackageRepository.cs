using System.Text;
using Containers.Oci.Errors;

namespace Containers.Oci.Packages;

/// <summary>
/// Reads the package indexes of a set of sources, with the trust chain apt uses: the InRelease signature against the
/// source's keyring, each Packages index against the SHA-256 the signed text gives it, and (later, in
/// <see cref="DebFetcher"/>) each .deb against the SHA-256 of its index entry.
/// </summary>
public sealed class PackageRepository(RepositoryHttp http)
{
    /// <summary>Every package of every source for <paramref name="architecture"/> (and 'all'), in source order.</summary>
    public async Task<IReadOnlyList<AvailablePackage>> ReadIndexesAsync(IReadOnlyList<AptSource> sources, BaseSystem baseSystem, string architecture, CancellationToken cancellationToken)
    {
        var packages = new List<AvailablePackage>();
        foreach (var source in sources)
        {
            var keys = TrustedKeys.For(source, baseSystem);
            var inReleasePath = $"dists/{source.Suite}/InRelease";
            var inRelease = await http.GetBytesAsync(source.Resolve(inReleasePath), cancellationToken).ConfigureAwait(false);
            var release = ControlParagraph.ParseAll(ClearSignedRelease.Verify(inRelease, keys, source.ToString())).FirstOrDefault();
            var hashes = ReleaseHashes(release?["SHA256"]);
            foreach (var component in source.Components)
            {
                var (path, sha256, size) = ChooseIndex(hashes, component, architecture)
                    ?? throw ErrorCatalogue.PackageIndexMissing.ToException(source, component, architecture);
                var uri = source.Resolve($"dists/{source.Suite}/{path}");
                var file = await http.GetVerifiedAsync(uri, sha256, size,
                    detail => ErrorCatalogue.PackageIndexHashMismatch.ToException(uri, source, detail), cancellationToken).ConfigureAwait(false);
                packages.AddRange(await ReadIndexAsync(file, source, cancellationToken).ConfigureAwait(false));
            }
        }
        return packages;
    }

    /// <summary>The SHA256 section of a Release file: relative path → (hash, size).</summary>
    internal static Dictionary<string, (string Sha256, long Size)> ReleaseHashes(string? field)
    {
        var result = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
        foreach (var line in (field ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3 && long.TryParse(parts[1], out var size)) result[parts[2]] = (parts[0], size);
        }
        return result;
    }

    /// <summary>The index to read: gzip first (the fastest to decompress here), then xz, then plain.</summary>
    internal static (string Path, string Sha256, long Size)? ChooseIndex(Dictionary<string, (string Sha256, long Size)> hashes, string component, string architecture)
    {
        foreach (var extension in new[] { ".gz", ".xz", "" })
        {
            var path = $"{component}/binary-{architecture}/Packages{extension}";
            if (hashes.TryGetValue(path, out var entry)) return (path, entry.Sha256, entry.Size);
        }
        return null;
    }

    private static async Task<IReadOnlyList<AvailablePackage>> ReadIndexAsync(string file, AptSource source, CancellationToken cancellationToken)
    {
        await using var stream = Content.ContentCache.OpenRead(file);
        await using var text = Decompression.Open(stream);
        using var reader = new StreamReader(text, Encoding.UTF8);
        var content = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        return PackageIndexReader.Parse(content, source);
    }
}
