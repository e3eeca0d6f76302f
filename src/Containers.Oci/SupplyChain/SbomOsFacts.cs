using System.Text.Json;
using System.Text.Json.Nodes;

namespace Containers.Oci.SupplyChain;

/// <summary>What is known of a base image's OS: its distribution (os-release) and its OS packages, in SBOM order.</summary>
public sealed record BaseOsFacts(string? OsId, string? OsVersion, IReadOnlyList<OsPackage> Packages);

/// <summary>
/// Reads a base image's OS facts back out of an SBOM (CycloneDX or SPDX JSON), so that a publish need not read the
/// base's layers: from the SBOM this tool wrote for an earlier image on the same base (its base-image component and
/// what it contains, only when that component names the same digest), or from the base image's own SBOM (every Debian
/// package it lists). Anything not understood gives null: the caller then reads the layers.
/// </summary>
public static class SbomOsFacts
{
    private const string DebPurl = "pkg:deb/";

    /// <summary>The base's facts as an earlier image's SBOM (ours) recorded them, when its base is <paramref name="baseDigest"/>.</summary>
    public static BaseOsFacts? FromEarlierImage(byte[] document, string baseDigest)
    {
        var root = Parse(document);
        if (root is null) return null;
        return root["bomFormat"]?.GetValueKind() == JsonValueKind.String ? CycloneDxEarlier(root, baseDigest)
            : root["spdxVersion"] is not null ? SpdxEarlier(root, baseDigest) : null;
    }

    /// <summary>The facts a base image's own SBOM gives: its Debian packages and OS; null when it names neither.</summary>
    public static BaseOsFacts? FromBaseImage(byte[] document) => Parse(document) is { } root ? FromBaseImage(root) : null;

    /// <summary>As above, for a document already parsed (the predicate of an in-toto statement).</summary>
    public static BaseOsFacts? FromBaseImage(JsonObject root)
    {
        var found = new Found(inferDistro: true);
        if (root["bomFormat"] is not null)
        {
            Walk(root["metadata"]?["component"]?["components"] as JsonArray, found);
            Walk(root["components"] as JsonArray, found);
        }
        else if (root["packages"] is JsonArray packages)
        {
            foreach (var package in packages.OfType<JsonObject>()) found.AddSpdx(package);
        }
        return found.Packages.Count == 0 && found.OsId is null ? null : found.Facts();
    }

    /// <summary>Packages sorted by name and architecture, one per pair: the order the scanner and both writers use.</summary>
    public static IReadOnlyList<OsPackage> Sorted(IEnumerable<OsPackage> packages)
    {
        var sorted = new SortedDictionary<(string, string?), OsPackage>();
        foreach (var package in packages) sorted[(package.Name, package.Architecture)] = package;
        return sorted.Values.ToList();
    }

    private static BaseOsFacts? CycloneDxEarlier(JsonObject root, string baseDigest)
    {
        var baseImage = (root["components"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => Text(c["bom-ref"]) == ComponentNames.BaseImage && Text(c["type"]) == "container");
        if (baseImage is null || Text(baseImage["version"]) != baseDigest) return null;
        var found = new Found(inferDistro: false);
        foreach (var child in (baseImage["components"] as JsonArray)?.OfType<JsonObject>() ?? []) found.AddCycloneDx(child);
        return found.Facts();
    }

    private static BaseOsFacts? SpdxEarlier(JsonObject root, string baseDigest)
    {
        var packages = (root["packages"] as JsonArray)?.OfType<JsonObject>().Where(p => Text(p["SPDXID"]) is not null)
            .GroupBy(p => Text(p["SPDXID"])!).ToDictionary(g => g.Key, g => g.First());
        var relationships = (root["relationships"] as JsonArray)?.OfType<JsonObject>().ToList();
        if (packages is null || relationships is null) return null;
        var baseIds = relationships.Where(r => Text(r["relationshipType"]) == "DESCENDANT_OF").Select(r => Text(r["relatedSpdxElement"])).OfType<string>().ToList();
        if (baseIds.Count != 1 || !packages.TryGetValue(baseIds[0], out var baseImage) || Text(baseImage["versionInfo"]) != baseDigest) return null;
        var found = new Found(inferDistro: false);
        foreach (var relationship in relationships.Where(r => Text(r["spdxElementId"]) == baseIds[0] && Text(r["relationshipType"]) == "CONTAINS"))
        {
            if (Text(relationship["relatedSpdxElement"]) is { } id && packages.TryGetValue(id, out var child)) found.AddSpdx(child);
        }
        return found.Facts();
    }

    private static void Walk(JsonArray? components, Found found)
    {
        foreach (var component in components?.OfType<JsonObject>() ?? [])
        {
            found.AddCycloneDx(component);
            Walk(component["components"] as JsonArray, found);
        }
    }

    /// <summary>A Debian package from its purl: <c>pkg:deb/debian/libc6@2.36-9?arch=amd64&amp;upstream=glibc</c>.</summary>
    internal static (OsPackage Package, string Distro)? ParseDebPurl(string? purl)
    {
        if (purl is null || !purl.StartsWith(DebPurl, StringComparison.Ordinal)) return null;
        var rest = purl[DebPurl.Length..];
        if (rest.IndexOf('#') is var hash and >= 0) rest = rest[..hash];
        var qualifiers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (rest.IndexOf('?') is var question and >= 0)
        {
            foreach (var pair in rest[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                if (eq > 0) qualifiers[pair[..eq].ToLowerInvariant()] = Uri.UnescapeDataString(pair[(eq + 1)..]);
            }
            rest = rest[..question];
        }
        var at = rest.LastIndexOf('@');
        var slash = rest.IndexOf('/');
        if (at <= 0 || slash <= 0 || slash > at) return null;
        var distro = Uri.UnescapeDataString(rest[..slash]);
        var name = Uri.UnescapeDataString(rest[(slash + 1)..at]);
        var version = Uri.UnescapeDataString(rest[(at + 1)..]);
        if (name.Length == 0 || version.Length == 0 || name.Contains('/')) return null;
        // "upstream" names the source package, sometimes with its version after an '@' (as dpkg's "glibc (2.36-9)").
        var source = qualifiers.GetValueOrDefault("upstream") is { Length: > 0 } upstream ? upstream.Split('@')[0] : null;
        return (new OsPackage(name, version, qualifiers.GetValueOrDefault("arch"), source), distro);
    }

    private static JsonObject? Parse(byte[] document)
    {
        try
        {
            return JsonNode.Parse(document) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    /// <summary>What a walk over components has found; the distro is taken from the purls only for a foreign SBOM.</summary>
    private sealed class Found(bool inferDistro)
    {
        public List<OsPackage> Packages { get; } = [];
        public string? OsId { get; private set; }
        private string? _osVersion;
        private string? _purlDistro;

        public void AddCycloneDx(JsonObject component)
        {
            if (Text(component["type"]) == "operating-system") Os(Text(component["name"]), Text(component["version"]));
            else Purl(Text(component["purl"]));
        }

        public void AddSpdx(JsonObject package)
        {
            if (Text(package["primaryPackagePurpose"]) == "OPERATING_SYSTEM")
            {
                Os(Text(package["name"]), Text(package["versionInfo"]));
                return;
            }
            foreach (var reference in (package["externalRefs"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                if (Text(reference["referenceType"]) == "purl") Purl(Text(reference["referenceLocator"]));
            }
        }

        private void Os(string? id, string? version)
        {
            if (OsId is not null || id is null) return;
            OsId = id;
            _osVersion = version;
        }

        private void Purl(string? purl)
        {
            if (ParseDebPurl(purl) is not { } parsed) return;
            Packages.Add(parsed.Package);
            _purlDistro ??= parsed.Distro;
        }

        public BaseOsFacts Facts() => new(OsId ?? (inferDistro ? _purlDistro : null), OsId is null ? null : _osVersion, Sorted(Packages));
    }
}
