using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Containers.Oci.Layers;

/// <summary>
/// A layer's key: a SHA-256 over a canonical text of everything that decides its bytes (the scheme's version, the
/// compression, the timestamp, and each entry's path, kind, mode, owner, link target and content). The same key
/// finds the layer in the local <see cref="LayerCache"/> and, recorded in the image (<see cref="Images.LayerKeyAnnotation"/>),
/// in the registry. A file's content enters by its SHA-256 (remembered by <see cref="FileDigestMemo"/>), or, when it is
/// a package's file unchanged, by the package's hash and its path there (<see cref="PackageFiles"/>), without reading it.
/// </summary>
public static class LayerKeys
{
    /// <summary>
    /// Changes whenever the same inputs would give other bytes or the text below changes (2: gzip deflated in
    /// parallel; 3: package files by their package's hash), so no older key ever matches a newer layer.
    /// </summary>
    public const int Version = 3;
    private const string FormatLine = "containers-layer-cache/3";

    public static string Compute(LayerPlan plan, DateTimeOffset timestamp, LayerCompression compression, FileDigestMemo files, PackageFiles packages, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Line(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        Line(FormatLine);
        Line($"compression {compression}");
        Line($"time {timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}");
        foreach (var entry in plan.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var content = "";
            if (entry.Kind == LayerEntryKind.File)
            {
                // "nuget …" and "<size> <sha256>" cannot be mistaken for each other: a size is digits only.
                content = packages.KeyOf(entry.SourcePath!) ?? Hashed(files, entry.SourcePath!);
            }
            Line(string.Join('\t', entry.Path, entry.Kind, entry.Mode, entry.Uid, entry.Gid, entry.LinkTarget ?? "", content));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The key as the image records it: <c>v&lt;version&gt;:&lt;hex&gt;</c>.</summary>
    public static string Recorded(string key) => $"v{Version.ToString(CultureInfo.InvariantCulture)}:{key}";

    private static string Hashed(FileDigestMemo files, string path)
    {
        var (size, sha256) = files.Get(path);
        return $"{size.ToString(CultureInfo.InvariantCulture)} {sha256}";
    }
}
