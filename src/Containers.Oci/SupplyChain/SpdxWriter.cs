using System.Text.Json.Nodes;

namespace Containers.Oci.SupplyChain;

/// <summary>
/// An SPDX 2.3 JSON document of one platform image, with the same facts as <see cref="CycloneDxWriter"/>: packages with
/// purl, SHA-512 and declared licence, and DESCRIBES, CONTAINS and DEPENDS_ON relationships. Namespace from the digest.
/// </summary>
public static class SpdxWriter
{
    public const string MediaType = "application/spdx+json";

    public static byte[] Write(SbomFacts facts)
    {
        var names = new ComponentNames(facts);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        string Id(string name) => ids.TryGetValue(name, out var id) ? id : ids[name] = $"SPDXRef-{ids.Count + 1}";

        var packages = new JsonArray();
        var relationships = new JsonArray
        {
            Relationship("SPDXRef-DOCUMENT", "DESCRIBES", Id(ComponentNames.Image)),
        };
        packages.Add(Package(Id(ComponentNames.Image), facts.ImageName, facts.ImageDigest, "CONTAINER", PackageUrl.Oci(facts.ImageName, facts.ImageDigest),
            ("SHA256", DocumentJson.Hex(facts.ImageDigest)), null, null));
        foreach (var c in facts.Components)
        {
            var purpose = c.Kind switch { ComponentKind.Application => "APPLICATION", ComponentKind.Runtime => "FRAMEWORK", _ => "LIBRARY" };
            packages.Add(Package(Id(names.Of(c)), c.Name, c.Version, purpose, c.IsNuGetPackage ? PackageUrl.NuGet(c.Name, c.Version) : null,
                c.Sha512 is { } h ? ("SHA512", h) : null, c.License, c.ProjectUrl));
        }
        var baseImage = facts.BaseImage;
        var baseName = ComponentNames.RepositoryOf(baseImage.Reference);
        packages.Add(Package(Id(ComponentNames.BaseImage), baseName, baseImage.Digest, "CONTAINER", PackageUrl.Oci(baseName, baseImage.Digest),
            ("SHA256", DocumentJson.Hex(baseImage.Digest)), null, null));
        if (baseImage.OsId is { } os) packages.Add(Package(Id(ComponentNames.OperatingSystem), os, baseImage.OsVersion, "OPERATING_SYSTEM", null, null, null, null));
        foreach (var (name, version) in baseImage.Frameworks) packages.Add(Package(Id(names.Framework(name, version)), name, version, "FRAMEWORK", null, null, null, null));
        foreach (var p in baseImage.OsPackages) packages.Add(Package(Id(PackageUrl.Deb(names.Distro, p)), p.Name, p.Version, "LIBRARY", PackageUrl.Deb(names.Distro, p), null, null, null));

        var added = names.AddedOsPackages();
        foreach (var (purl, p) in added) packages.Add(Package(Id(purl), p.Name, p.Version, "LIBRARY", purl, p.Sha256 is { } h ? ("SHA256", h) : null, null, null));

        relationships.Add(Relationship(Id(ComponentNames.Image), "CONTAINS", Id(names.Of(facts.Components[0]))));
        foreach (var (purl, _) in added) relationships.Add(Relationship(Id(ComponentNames.Image), "CONTAINS", Id(purl)));
        relationships.Add(Relationship(Id(ComponentNames.Image), "DESCENDANT_OF", Id(ComponentNames.BaseImage)));
        foreach (var c in facts.Components)
        {
            foreach (var dependency in c.DependsOn) relationships.Add(Relationship(Id(names.Of(c)), "DEPENDS_ON", Id(names.OfKey(dependency))));
        }
        foreach (var child in names.BaseChildren()) relationships.Add(Relationship(Id(ComponentNames.BaseImage), "CONTAINS", Id(child)));

        var document = new JsonObject
        {
            ["spdxVersion"] = "SPDX-2.3",
            ["dataLicense"] = "CC0-1.0",
            ["SPDXID"] = "SPDXRef-DOCUMENT",
            ["name"] = $"{facts.ImageName}@{facts.ImageDigest}",
            ["documentNamespace"] = "urn:uuid:" + DocumentJson.Uuid("spdx " + facts.ImageDigest),
            ["creationInfo"] = new JsonObject
            {
                ["created"] = DocumentJson.Time(facts.Created),
                ["creators"] = DocumentJson.Strings([$"Tool: {facts.Tool.Name}-{facts.Tool.Version}"]),
            },
            ["documentDescribes"] = DocumentJson.Strings([Id(ComponentNames.Image)]),
            ["packages"] = packages,
            ["relationships"] = relationships,
        };
        return DocumentJson.Bytes(document);
    }

    private static JsonObject Package(string id, string name, string? version, string purpose, string? purl, (string Algorithm, string Value)? checksum, string? license, string? homepage)
    {
        var node = new JsonObject { ["SPDXID"] = id, ["name"] = name };
        if (version is not null) node["versionInfo"] = version;
        node["downloadLocation"] = "NOASSERTION";
        node["filesAnalyzed"] = false;
        node["primaryPackagePurpose"] = purpose;
        if (checksum is { } c) node["checksums"] = new JsonArray(new JsonObject { ["algorithm"] = c.Algorithm, ["checksumValue"] = c.Value });
        node["licenseConcluded"] = "NOASSERTION";
        node["licenseDeclared"] = license ?? "NOASSERTION";
        node["copyrightText"] = "NOASSERTION";
        if (homepage is not null) node["homepage"] = homepage;
        if (purl is not null)
        {
            node["externalRefs"] = new JsonArray(new JsonObject { ["referenceCategory"] = "PACKAGE-MANAGER", ["referenceType"] = "purl", ["referenceLocator"] = purl });
        }
        return node;
    }

    private static JsonObject Relationship(string from, string type, string to)
        => new() { ["spdxElementId"] = from, ["relationshipType"] = type, ["relatedSpdxElement"] = to };
}
