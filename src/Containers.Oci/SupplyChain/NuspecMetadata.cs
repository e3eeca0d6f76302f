using System.Xml;
using System.Xml.Linq;

namespace Containers.Oci.SupplyChain;

/// <summary>
/// A package's own metadata from the NuGet global packages folder: its licence expression and project URL. Read when
/// the package is there (it is after a restore); absent or unreadable metadata leaves the fields empty rather than
/// failing the publish, because the package's identity and hash already come from the assets file.
/// </summary>
public static class NuspecMetadata
{
    public static (string? License, string? ProjectUrl) TryRead(IReadOnlyList<string> packageFolders, string id, string version)
    {
        foreach (var folder in packageFolders)
        {
            var path = Path.Combine(folder, id.ToLowerInvariant(), version.ToLowerInvariant(), id.ToLowerInvariant() + ".nuspec");
            if (!File.Exists(path)) continue;
            try
            {
                var metadata = XDocument.Load(path).Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata");
                if (metadata is null) return (null, null);
                var license = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "license" && (string?)e.Attribute("type") == "expression");
                var url = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "projectUrl")?.Value.Trim();
                return (license?.Value.Trim() is { Length: > 0 } l ? l : null, Uri.IsWellFormedUriString(url, UriKind.Absolute) ? url : null);
            }
            catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
            {
                return (null, null);
            }
        }
        return (null, null);
    }

    /// <summary>A package's SHA-512 as NuGet wrote it beside the package (<c>id.version.nupkg.sha512</c>, base64), as hex.</summary>
    public static string? TryReadHash(IReadOnlyList<string> packageFolders, string id, string version)
    {
        foreach (var folder in packageFolders)
        {
            var path = Path.Combine(folder, id.ToLowerInvariant(), version.ToLowerInvariant(), $"{id.ToLowerInvariant()}.{version.ToLowerInvariant()}.nupkg.sha512");
            try
            {
                if (File.Exists(path)) return Base64ToHex(File.ReadAllText(path).Trim());
            }
            catch (IOException) { /* the hash stays unknown */ }
        }
        return null;
    }

    /// <summary>NuGet's base64 hashes (optionally "sha512-" prefixed) as lower-case hex, which SBOM formats want; null if not base64.</summary>
    public static string? Base64ToHex(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var text = value.StartsWith("sha512-", StringComparison.Ordinal) ? value[7..] : value;
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var written) && written == 64 ? Convert.ToHexStringLower(bytes.AsSpan(0, written)) : null;
    }
}
