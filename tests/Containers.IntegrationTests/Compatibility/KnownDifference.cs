using System.Text.Json.Nodes;

namespace Containers.IntegrationTests.Compatibility;

/// <summary>
/// An intentional difference from the SDK's built-in, as a change to the built-in's result: the suite applies it to what
/// the built-in produced and then expects ours to be equal. Each id is an anchor in docs/compatibility.md, which says why.
/// </summary>
public sealed record KnownDifference(string Id, Action<JsonObject> AdjustBuiltIn)
{
    public override string ToString() => Id;

    /// <summary>ContainerWorkingDirectory without a trailing '/': the built-in glues the file name onto the folder name.</summary>
    public static KnownDifference WorkingDirectorySeparator(string directory) => new("working-directory-separator", view =>
    {
        foreach (var field in new[] { "Entrypoint", "Cmd" })
        {
            if (view["Config"]?[field] is not JsonArray values) continue;
            for (var i = 0; i < values.Count; i++)
            {
                var value = values[i]!.GetValue<string>();
                if (value.StartsWith(directory, StringComparison.Ordinal) && value.Length > directory.Length && value[directory.Length] != '/')
                {
                    values[i] = directory + "/" + value[directory.Length..];
                }
            }
        }
    });

    /// <summary>A repository name that had to be changed: we warn (CONTAINER2013); the built-in only prints a message.</summary>
    public static readonly KnownDifference RepositoryNormalizationWarning = new("repository-normalization-warning",
        view => AddDiagnostic(view, "Diagnostics", "warning CONTAINER2013"));

    /// <summary>ContainerEntrypointArgs alone: we warn that it is deprecated (CONTAINER2029); the built-in means to but never does.</summary>
    public static readonly KnownDifference EntrypointArgsWarning = new("entrypoint-args-warning",
        view => AddDiagnostic(view, "Diagnostics", "warning CONTAINER2029"));

    /// <summary>ContainerGenerateLabels=false keeps the user's own ContainerLabel items; the built-in drops them too.</summary>
    public static KnownDifference ExplicitLabelsKept(params (string Name, string Value)[] labels) => new("explicit-labels-kept", view =>
    {
        var config = view["Config"]!.AsObject();
        var existing = config["Labels"] as JsonObject ?? new JsonObject();
        var merged = existing.Select(l => (l.Key, l.Value!.GetValue<string>())).Concat(labels).OrderBy(l => l.Item1, StringComparer.Ordinal);
        config["Labels"] = new JsonObject(merged.Select(l => KeyValuePair.Create(l.Item1, (JsonNode?)l.Item2)));
    });

    /// <summary>ContainerGenerateLabelsImageBaseDigest=true set explicitly with labels off: we warn (CONTAINER2030); the built-in only logs a low-importance message.</summary>
    public static readonly KnownDifference DigestLabelWarning = new("digest-label-warning",
        view => AddDiagnostic(view, "Diagnostics", "warning CONTAINER2030"));

    /// <summary>AutoGenerateImageTag: our tag uses the 24-hour clock. Both are 14 digits, so the comparison sees no change; the suite checks the hour separately.</summary>
    public static readonly KnownDifference AutoTag24Hour = new("auto-tag-24-hour", _ => { });

    /// <summary>Musl and glibc runtime identifiers mixed: both fail; ours with a code (CONTAINER5006).</summary>
    public static readonly KnownDifference MixedMuslCoded = new("mixed-musl-coded",
        view => AddDiagnostic(view, "InferenceDiagnostics", "error CONTAINER5006"));

    private static void AddDiagnostic(JsonObject view, string field, string diagnostic)
    {
        var list = (view[field] as JsonArray)?.Select(d => d!.GetValue<string>()).ToList() ?? [];
        list.Add(diagnostic);
        view[field] = new JsonArray(list.Distinct().Order(StringComparer.Ordinal).Select(d => (JsonNode?)d).ToArray());
    }
}
