using System.Text.Json.Nodes;

namespace Containers.Oci.SupplyChain;

/// <summary>How the image was built, for <see cref="ProvenanceWriter"/>.</summary>
public sealed record ProvenanceFacts
{
    public required string ImageName { get; init; }
    public required string ImageDigest { get; init; }

    /// <summary>The container settings that shaped the image, by property name; sorted when written.</summary>
    public required IReadOnlyDictionary<string, JsonNode?> ExternalParameters { get; init; }

    public required string BaseImageReference { get; init; }
    public required string BaseImageDigest { get; init; }
    public GitSource? Source { get; init; }

    /// <summary>The NuGet packages that ship (their hashes are what restore verified).</summary>
    public IReadOnlyList<AppComponent> Packages { get; init; } = [];

    public required (string Name, string Version) Tool { get; init; }
    public string? SdkVersion { get; init; }
    public CiRun? Run { get; init; }
}

/// <summary>
/// An in-toto Statement v1 whose predicate is SLSA Provenance v1: the image as subject, the settings as external
/// parameters, the base image, source commit and packages as resolved dependencies, and the builder. Only the CI run's
/// identity (when the environment names one) differs between two builds of the same inputs.
/// </summary>
public static class ProvenanceWriter
{
    public const string MediaType = "application/vnd.in-toto+json";
    public const string PredicateType = "https://slsa.dev/provenance/v1";
    public const string BuildType = "urn:containers-build:publish-container:v1";

    public static byte[] Write(ProvenanceFacts facts)
    {
        var dependencies = new JsonArray
        {
            new JsonObject
            {
                ["uri"] = PackageUrl.Oci(ComponentNames.RepositoryOf(facts.BaseImageReference), facts.BaseImageDigest),
                ["name"] = facts.BaseImageReference,
                ["digest"] = Digest(facts.BaseImageDigest),
            },
        };
        if (facts.Source is { } source)
        {
            var node = new JsonObject { ["uri"] = source.Uri is null ? "git" : $"git+{source.Uri}", ["digest"] = new JsonObject { ["gitCommit"] = source.Commit } };
            dependencies.Add(node);
        }
        foreach (var package in facts.Packages.Where(p => p.IsNuGetPackage))
        {
            var node = new JsonObject { ["uri"] = PackageUrl.NuGet(package.Name, package.Version) };
            if (package.Sha512 is { } hash) node["digest"] = new JsonObject { ["sha512"] = hash };
            dependencies.Add(node);
        }

        var version = new JsonObject { [facts.Tool.Name] = facts.Tool.Version };
        if (facts.SdkVersion is { Length: > 0 } sdk) version["dotnet-sdk"] = sdk;
        var runDetails = new JsonObject
        {
            ["builder"] = new JsonObject { ["id"] = $"pkg:nuget/{facts.Tool.Name}@{facts.Tool.Version}", ["version"] = version },
        };
        if (facts.Run is { } run)
        {
            runDetails["metadata"] = new JsonObject { ["invocationId"] = run.InvocationId };
            runDetails["byproducts"] = new JsonArray(new JsonObject { ["name"] = "ci", ["annotations"] = new JsonObject { ["system"] = run.System } });
        }

        var document = new JsonObject
        {
            ["_type"] = "https://in-toto.io/Statement/v1",
            ["subject"] = new JsonArray(new JsonObject { ["name"] = facts.ImageName, ["digest"] = Digest(facts.ImageDigest) }),
            ["predicateType"] = PredicateType,
            ["predicate"] = new JsonObject
            {
                ["buildDefinition"] = new JsonObject
                {
                    ["buildType"] = BuildType,
                    ["externalParameters"] = new JsonObject(facts.ExternalParameters.OrderBy(p => p.Key, StringComparer.Ordinal)
                        .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
                    ["resolvedDependencies"] = dependencies,
                },
                ["runDetails"] = runDetails,
            },
        };
        return DocumentJson.Bytes(document);
    }

    /// <summary>A <c>sha256:…</c> digest as an in-toto digest set.</summary>
    private static JsonObject Digest(string digest)
    {
        var colon = digest.IndexOf(':');
        return new JsonObject { [digest[..colon]] = digest[(colon + 1)..] };
    }
}
