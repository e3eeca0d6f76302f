using System.Globalization;
using System.Text.Json.Nodes;

namespace Containers.Oci.Images;

/// <summary>
/// Builds the new image config from the base config and the settings, as a pure function. What is kept from the
/// base follows the SDK's built-in: Env, Labels, ExposedPorts and User are inherited and extended; of the rest only
/// Volumes and StopSignal survive. Unlike the built-in we also keep the platform variant (arm64/v8, arm/v7).
/// </summary>
public static class ImageConfigBuilder
{
    public const string HistoryAuthor = "Containers.Build";

    /// <param name="newDiffIds">The new layers' diff ids, in order, with <paramref name="newLayerDescriptions"/> for their history entries.</param>
    /// <param name="newLayerComments">Each new layer's history comment, or null for none (all none when not given).</param>
    public static JsonObject Build(JsonObject baseConfig, ImageSettings settings, IReadOnlyList<string> newDiffIds, IReadOnlyList<string> newLayerDescriptions,
        IReadOnlyList<string?>? newLayerComments = null)
    {
        var baseInner = baseConfig["config"] as JsonObject ?? new JsonObject();

        var env = ReadEnvironment(baseInner);
        foreach (var (name, value) in settings.Environment) env[name] = value;
        var envList = env.ToList();

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (baseInner["Labels"] is JsonObject baseLabels)
        {
            foreach (var (key, value) in baseLabels) if (value is JsonValue v) labels[key] = v.ToString();
        }
        foreach (var (key, value) in settings.Labels) labels[key] = value;

        var ports = new SortedSet<string>(StringComparer.Ordinal);
        if (baseInner["ExposedPorts"] is JsonObject basePorts) foreach (var (key, _) in basePorts) ports.Add(key);
        foreach (var port in settings.Ports) ports.Add(port.ToString());
        foreach (var port in AspNetPorts.FromEnvironment(env)) ports.Add(port.ToString());

        var user = settings.User
                   ?? (env.TryGetValue("APP_UID", out var appUid) ? appUid : null)
                   ?? ImageDocuments.Text(baseInner["User"]);

        var inner = new JsonObject();
        if (ports.Count > 0) inner["ExposedPorts"] = new JsonObject(ports.Select(p => KeyValuePair.Create(p, (JsonNode?)new JsonObject())));
        if (labels.Count > 0) inner["Labels"] = new JsonObject(labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)));
        if (envList.Count > 0) inner["Env"] = new JsonArray(envList.Select(e => (JsonNode?)$"{e.Key}={e.Value}").ToArray());
        if (settings.WorkingDirectory is not null) inner["WorkingDir"] = settings.WorkingDirectory;
        if (settings.Entrypoint.Count > 0) inner["Entrypoint"] = StringArray(settings.Entrypoint);
        if (settings.Cmd.Count > 0) inner["Cmd"] = StringArray(settings.Cmd);
        if (!string.IsNullOrEmpty(user)) inner["User"] = user;
        foreach (var kept in new[] { "Volumes", "StopSignal" })
        {
            if (baseInner[kept] is { } value) inner[kept] = value.DeepClone();
        }

        var created = Rfc3339(settings.Created);
        var history = baseConfig["history"] is JsonArray baseHistory ? (JsonArray)baseHistory.DeepClone() : new JsonArray();
        for (var i = 0; i < newLayerDescriptions.Count; i++)
        {
            var entry = new JsonObject
            {
                ["created"] = created,
                ["created_by"] = $"{HistoryAuthor}: {newLayerDescriptions[i]}",
                ["author"] = HistoryAuthor,
            };
            if (newLayerComments?.ElementAtOrDefault(i) is { } comment) entry["comment"] = comment;
            history.Add(entry);
        }

        var diffIds = baseConfig["rootfs"] is JsonObject rootfs && rootfs["diff_ids"] is JsonArray baseDiffIds ? (JsonArray)baseDiffIds.DeepClone() : new JsonArray();
        foreach (var diffId in newDiffIds) diffIds.Add(diffId);

        var config = new JsonObject
        {
            ["architecture"] = baseConfig["architecture"]?.DeepClone(),
            ["os"] = baseConfig["os"]?.DeepClone(),
        };
        if (baseConfig["variant"] is { } variant) config["variant"] = variant.DeepClone();
        if (baseConfig["os.version"] is { } osVersion) config["os.version"] = osVersion.DeepClone();
        config["created"] = created;
        config["config"] = inner;
        config["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = diffIds };
        config["history"] = history;
        return config;
    }

    /// <summary>The base's environment, in order, later duplicates winning.</summary>
    public static Dictionary<string, string> ReadEnvironment(JsonObject configInner)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (configInner["Env"] is JsonArray baseEnv)
        {
            foreach (var entry in baseEnv)
            {
                var text = ImageDocuments.Text(entry);
                var eq = text?.IndexOf('=') ?? -1;
                if (eq > 0) env[text![..eq]] = text[(eq + 1)..];
            }
        }
        return env;
    }

    public static string Rfc3339(DateTimeOffset time)
        => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonArray StringArray(IEnumerable<string> items) => new(items.Select(i => (JsonNode?)i).ToArray());
}
