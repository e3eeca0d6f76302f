using System.Text.Json.Nodes;

namespace Containers.Oci.SupplyChain;

/// <summary>
/// A CycloneDX 1.6 JSON BOM of one platform image: the image as the BOM's subject, the app and everything it ships
/// (packages with purl, hash, licence and project URL; project references; the runtime), the base image with its OS
/// packages and frameworks, and the dependency graph. Serial number from the image digest, timestamp from the image.
/// </summary>
public static class CycloneDxWriter
{
    public const string MediaType = "application/vnd.cyclonedx+json";

    public static byte[] Write(SbomFacts facts)
    {
        var names = new ComponentNames(facts);
        var components = new JsonArray();
        foreach (var component in facts.Components) components.Add(AppComponentNode(component, names));
        components.Add(BaseImageNode(facts, names));
        var added = names.AddedOsPackages();
        foreach (var (purl, package) in added) components.Add(AddedOsPackageNode(purl, package));
        var dependencies = new JsonArray
        {
            Dependency(ComponentNames.Image, [names.Of(facts.Components[0]), ComponentNames.BaseImage, .. added.Select(a => a.Purl)]),
        };
        foreach (var (purl, _) in added) dependencies.Add(Dependency(purl, []));
        foreach (var component in facts.Components) dependencies.Add(Dependency(names.Of(component), component.DependsOn.Select(names.OfKey)));
        dependencies.Add(Dependency(ComponentNames.BaseImage, names.BaseChildren()));
        foreach (var child in names.BaseChildren()) dependencies.Add(Dependency(child, []));

        var document = new JsonObject
        {
            ["bomFormat"] = "CycloneDX",
            ["specVersion"] = "1.6",
            ["serialNumber"] = "urn:uuid:" + DocumentJson.Uuid("cyclonedx " + facts.ImageDigest),
            ["version"] = 1,
            ["metadata"] = new JsonObject
            {
                ["timestamp"] = DocumentJson.Time(facts.Created),
                ["tools"] = new JsonObject { ["components"] = new JsonArray(new JsonObject { ["type"] = "application", ["name"] = facts.Tool.Name, ["version"] = facts.Tool.Version }) },
                ["component"] = new JsonObject
                {
                    ["type"] = "container",
                    ["bom-ref"] = ComponentNames.Image,
                    ["name"] = facts.ImageName,
                    ["version"] = facts.ImageDigest,
                    ["purl"] = PackageUrl.Oci(facts.ImageName, facts.ImageDigest),
                    ["properties"] = new JsonArray(Property("oci:platform", facts.Platform)),
                },
            },
            ["components"] = components,
            ["dependencies"] = dependencies,
        };
        return DocumentJson.Bytes(document);
    }

    private static JsonObject AppComponentNode(AppComponent component, ComponentNames names)
    {
        var node = new JsonObject
        {
            ["type"] = component.Kind switch { ComponentKind.Application => "application", ComponentKind.Runtime => "framework", _ => "library" },
            ["bom-ref"] = names.Of(component),
            ["name"] = component.Name,
            ["version"] = component.Version,
        };
        if (component.IsNuGetPackage) node["purl"] = PackageUrl.NuGet(component.Name, component.Version);
        if (component.Sha512 is { } hash) node["hashes"] = new JsonArray(new JsonObject { ["alg"] = "SHA-512", ["content"] = hash });
        if (component.License is { } license) node["licenses"] = new JsonArray(new JsonObject { ["expression"] = license });
        if (component.ProjectUrl is { } url) node["externalReferences"] = new JsonArray(new JsonObject { ["type"] = "website", ["url"] = url });
        if (component.Kind == ComponentKind.Project) node["properties"] = new JsonArray(Property("dotnet:kind", "project-reference"));
        return node;
    }

    private static JsonObject BaseImageNode(SbomFacts facts, ComponentNames names)
    {
        var baseImage = facts.BaseImage;
        var children = new JsonArray();
        if (baseImage.OsId is { } os)
        {
            var osNode = new JsonObject { ["type"] = "operating-system", ["bom-ref"] = ComponentNames.OperatingSystem, ["name"] = os };
            if (baseImage.OsVersion is { } version) osNode["version"] = version;
            children.Add(osNode);
        }
        foreach (var (name, version) in baseImage.Frameworks)
        {
            children.Add(new JsonObject { ["type"] = "framework", ["bom-ref"] = names.Framework(name, version), ["name"] = name, ["version"] = version });
        }
        foreach (var package in baseImage.OsPackages)
        {
            var purl = PackageUrl.Deb(names.Distro, package);
            children.Add(new JsonObject { ["type"] = "library", ["bom-ref"] = purl, ["name"] = package.Name, ["version"] = package.Version, ["purl"] = purl });
        }
        var node = new JsonObject
        {
            ["type"] = "container",
            ["bom-ref"] = ComponentNames.BaseImage,
            ["name"] = ComponentNames.RepositoryOf(baseImage.Reference),
            ["version"] = baseImage.Digest,
            ["purl"] = PackageUrl.Oci(ComponentNames.RepositoryOf(baseImage.Reference), baseImage.Digest),
            ["properties"] = new JsonArray(Property("oci:reference", baseImage.Reference)),
        };
        if (children.Count > 0) node["components"] = children;
        return node;
    }

    /// <summary>An OS package installed by this publish (ContainerPackage): in the image, beside the base, not in it.</summary>
    private static JsonObject AddedOsPackageNode(string purl, Packages.InstalledPackage package)
    {
        var node = new JsonObject { ["type"] = "library", ["bom-ref"] = purl, ["name"] = package.Name, ["version"] = package.Version, ["purl"] = purl };
        if (package.Sha256 is { } hash) node["hashes"] = new JsonArray(new JsonObject { ["alg"] = "SHA-256", ["content"] = hash });
        node["properties"] = new JsonArray(Property("containers:installed-by", "ContainerPackage"));
        return node;
    }

    private static JsonObject Dependency(string reference, IEnumerable<string> dependsOn)
    {
        var node = new JsonObject { ["ref"] = reference };
        var list = dependsOn.ToList();
        if (list.Count > 0) node["dependsOn"] = DocumentJson.Strings(list);
        return node;
    }

    private static JsonObject Property(string name, string value) => new() { ["name"] = name, ["value"] = value };
}
