using System.Text.Json.Nodes;

namespace Containers.Oci.Publishing;

/// <summary>
/// The container settings that shaped an image, as the provenance's external parameters name them (by the MSBuild
/// property or item that sets each). Environment variables are named without their values: a value can be a
/// secret, and provenance is meant to be read by anyone who can pull the image.
/// </summary>
public static class ProvenanceParameters
{
    public static IReadOnlyDictionary<string, JsonNode?> From(ContainerPublishRequest request)
    {
        var s = request.Settings;
        var parameters = new Dictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["ContainerBaseImage"] = request.BaseImage.ToString(),
            ["ContainerRepository"] = request.Destination.Name.Repository,
            ["ContainerImageTags"] = Strings(request.Tags),
            ["ContainerRuntimeIdentifier"] = request.RuntimeIdentifier,
            ["ContainerWorkingDirectory"] = request.AppDirectory,
            ["ContainerLayering"] = request.Layering.ToString(),
            ["ContainerLayerCompression"] = request.Compression.ToString().ToLowerInvariant(),
            ["ContainerEntrypoint"] = Strings(s.Entrypoint),
            ["ContainerDefaultArgs"] = Strings(s.Cmd),
            ["ContainerPort"] = Strings(s.Ports.Select(p => $"{p.Number}/{p.Type}".ToLowerInvariant())),
            ["ContainerEnvironmentVariable"] = Strings(s.Environment.Select(e => e.Key)),
            ["ContainerLabel"] = new JsonObject(s.Labels.GroupBy(l => l.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)JsonValue.Create(g.Last().Value)))),
        };
        if (s.User is { } user) parameters["ContainerUser"] = user;
        if (s.ManifestMediaType is { } format) parameters["ContainerImageFormat"] = format;
        if (request.Destination.Name.Registry is { } registry) parameters["ContainerRegistry"] = registry;
        if (request.ExtraLayers.Count > 0) parameters["ContainerLayer"] = Strings(request.ExtraLayers.Select(l => l.TargetPath));
        return parameters;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
