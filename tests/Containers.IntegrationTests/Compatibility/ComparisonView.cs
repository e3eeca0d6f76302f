using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Containers.IntegrationTests.Compatibility;

/// <summary>
/// What is compared between the two tools, as one JSON object: the inferred base image, the coded diagnostics, the tags
/// and manifest type, and the image config's Env, Entrypoint, Cmd, WorkingDir, User, ExposedPorts, Labels, Volumes and
/// StopSignal. Values that differ by nature are masked: times and digests in labels, the registry's own address, and
/// generated (timestamp) tags.
/// </summary>
public static partial class ComparisonView
{
    private static readonly string[] ConfigFields = ["Env", "Entrypoint", "Cmd", "WorkingDir", "User", "ExposedPorts", "Labels", "Volumes", "StopSignal"];
    private static readonly HashSet<string> TimeLabels = ["org.opencontainers.image.created", "org.opencontainers.artifact.created"];
    private const string DigestLabel = "org.opencontainers.image.base.digest";

    public static JsonObject Of(CompatibilityCase c, ToolOutcome outcome)
    {
        var view = new JsonObject
        {
            ["InferenceSucceeded"] = outcome.Inference.Succeeded,
            ["BaseImage"] = outcome.Inference.BaseImage,
            ["InferenceDiagnostics"] = Strings(outcome.Inference.Diagnostics),
        };
        if (c.InferenceOnly || outcome.Publish is not { } publish) return view;

        view["Succeeded"] = publish.Succeeded;
        view["Diagnostics"] = Strings(publish.Diagnostics);
        if (outcome.Image is { } image)
        {
            view["Repository"] = image.Repository;
            view["Tags"] = Strings(image.Tags.Select(t => GeneratedTag().IsMatch(t) ? "<generated>" : t));
            view["MediaType"] = image.MediaType;
            view["Platform"] = $"{image.Config["os"]}/{image.Config["architecture"]}";
            view["Config"] = Config(image.Config["config"] as JsonObject ?? new JsonObject(), outcome.Registry);
        }
        return view;
    }

    private static JsonObject Config(JsonObject config, string registry)
    {
        var result = new JsonObject();
        foreach (var field in ConfigFields)
        {
            var value = config[field];
            result[field] = field switch
            {
                _ when value is null => null,
                "ExposedPorts" or "Volumes" => Strings(value.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)),
                "Labels" => new JsonObject(value.AsObject().OrderBy(l => l.Key, StringComparer.Ordinal)
                    .Select(l => KeyValuePair.Create(l.Key, (JsonNode?)MaskLabel(l.Key, l.Value!.GetValue<string>(), registry)))),
                _ => value.DeepClone(),
            };
        }
        var others = config.Select(p => p.Key).Where(k => !ConfigFields.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (others.Count > 0) result["OtherFields"] = Strings(others);
        return result;
    }

    private static string MaskLabel(string key, string value, string registry)
        => TimeLabels.Contains(key) ? "<time>" : key == DigestLabel ? "<digest>" : value.Replace(registry, "<registry>", StringComparison.Ordinal);

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());

    [GeneratedRegex(@"^\d{14}$")]
    private static partial Regex GeneratedTag();
}
