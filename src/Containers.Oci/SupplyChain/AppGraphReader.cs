using System.Text.Json;
using Containers.Oci.Errors;

namespace Containers.Oci.SupplyChain;

/// <summary>
/// The app's software, exactly as it ships: every library the publish folder's .deps.json names (packages, project
/// references, a self-contained app's runtime pack) with the dependency graph between them, each package's hash from
/// the project's assets file (the hash restore verified), and its licence and project URL from its nuspec. Read with
/// System.Text.Json: NuGet's own readers would load assemblies that clash with the SDK's inside MSBuild.
/// </summary>
public static class AppGraphReader
{
    private const string RuntimePackPrefix = "runtimepack.";

    /// <param name="depsFile">The publish folder's .deps.json.</param>
    /// <param name="assetsFile">obj/project.assets.json; null or missing: hashes come from the .deps.json.</param>
    /// <param name="appName">The app's name when the files do not say (no .deps.json).</param>
    public static IReadOnlyList<AppComponent> Read(string? depsFile, string? assetsFile, string appName, string appVersion)
    {
        var assets = ReadAssets(assetsFile);
        if (depsFile is null || !File.Exists(depsFile))
        {
            return [new AppComponent { Kind = ComponentKind.Application, Name = assets.ProjectName ?? appName, Version = assets.ProjectVersion ?? appVersion }];
        }
        using var deps = Parse(depsFile);
        var root = deps.RootElement;
        var targetName = root.TryGetProperty("runtimeTarget", out var runtimeTarget) && runtimeTarget.TryGetProperty("name", out var n) ? n.GetString() : null;
        if (targetName is null || !root.TryGetProperty("targets", out var targets) || !targets.TryGetProperty(targetName, out var target)
            || !root.TryGetProperty("libraries", out var libraries))
        {
            throw ErrorCatalogue.SbomInputUnreadable.ToException(depsFile, "it names no runtime target, or that target or the libraries are missing");
        }

        var components = new List<AppComponent>();
        string? appKey = null;
        foreach (var entry in target.EnumerateObject())
        {
            if (!libraries.TryGetProperty(entry.Name, out var library)) continue;
            var (name, version) = SplitKey(entry.Name);
            var type = library.TryGetProperty("type", out var t) ? t.GetString() : null;
            var kind = type switch
            {
                "project" when appKey is null && (assets.ProjectName is null || assets.ProjectName == name) => ComponentKind.Application,
                "project" => ComponentKind.Project,
                "package" => ComponentKind.Package,
                "runtimepack" => ComponentKind.Runtime,
                _ => (ComponentKind?)null,
            };
            if (kind is not { } k) continue;
            if (k == ComponentKind.Application) appKey = entry.Name;
            if (k == ComponentKind.Runtime && name.StartsWith(RuntimePackPrefix, StringComparison.Ordinal)) name = name[RuntimePackPrefix.Length..];

            var dependsOn = entry.Value.TryGetProperty("dependencies", out var d) && d.ValueKind == JsonValueKind.Object
                ? d.EnumerateObject().Select(p => $"{p.Name}/{p.Value.GetString()}").ToList()
                : [];
            components.Add(Describe(k, name, version, entry.Name, library, assets, dependsOn));
        }

        // The keys a dependency names are the .deps.json's; a runtime pack is keyed without its prefix, and a
        // self-contained app depends on it though the file does not say so.
        var keys = components.ToDictionary(c => c.Key, StringComparer.Ordinal);
        var runtime = components.Where(c => c.Kind == ComponentKind.Runtime).Select(c => c.Key).ToList();
        var graph = components.Select(c => c with
        {
            DependsOn = c.DependsOn.Where(keys.ContainsKey).Concat(c.Kind == ComponentKind.Application ? runtime : []).Distinct().Order(StringComparer.Ordinal).ToList(),
        }).ToList();
        if (appKey is null) graph.Insert(0, new AppComponent { Kind = ComponentKind.Application, Name = assets.ProjectName ?? appName, Version = assets.ProjectVersion ?? appVersion });
        return graph;
    }

    private static AppComponent Describe(ComponentKind kind, string name, string version, string key, JsonElement library, AssetsFacts assets, IReadOnlyList<string> dependsOn)
    {
        string? sha512 = null, license = null, url = null;
        if (kind is ComponentKind.Package or ComponentKind.Runtime)
        {
            sha512 = NuspecMetadata.Base64ToHex(assets.Hashes.GetValueOrDefault(key))
                ?? NuspecMetadata.Base64ToHex(library.TryGetProperty("sha512", out var s) ? s.GetString() : null)
                ?? NuspecMetadata.TryReadHash(assets.PackageFolders, name, version);
            (license, url) = NuspecMetadata.TryRead(assets.PackageFolders, name, version);
        }
        return new AppComponent { Kind = kind, Name = name, Version = version, Sha512 = sha512, License = license, ProjectUrl = url, DependsOn = dependsOn };
    }

    private static (string Name, string Version) SplitKey(string key)
    {
        var slash = key.LastIndexOf('/');
        return slash < 0 ? (key, "") : (key[..slash], key[(slash + 1)..]);
    }

    /// <summary>What the assets file adds: package hashes by key, the package folders, the project's name and version.</summary>
    private sealed record AssetsFacts(IReadOnlyDictionary<string, string> Hashes, IReadOnlyList<string> PackageFolders, string? ProjectName, string? ProjectVersion);

    private static AssetsFacts ReadAssets(string? assetsFile)
    {
        if (assetsFile is null || !File.Exists(assetsFile)) return new(new Dictionary<string, string>(), [], null, null);
        using var document = Parse(assetsFile);
        var root = document.RootElement;
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("libraries", out var libraries) && libraries.ValueKind == JsonValueKind.Object)
        {
            foreach (var library in libraries.EnumerateObject())
            {
                if (library.Value.TryGetProperty("sha512", out var sha) && sha.GetString() is { Length: > 0 } value) hashes[library.Name] = value;
            }
        }
        var folders = root.TryGetProperty("packageFolders", out var f) && f.ValueKind == JsonValueKind.Object ? f.EnumerateObject().Select(p => p.Name).ToList() : [];
        string? projectName = null, projectVersion = null;
        if (root.TryGetProperty("project", out var project))
        {
            projectVersion = project.TryGetProperty("version", out var v) ? v.GetString() : null;
            projectName = project.TryGetProperty("restore", out var restore) && restore.TryGetProperty("projectName", out var pn) ? pn.GetString() : null;
        }
        return new(hashes, folders, projectName, projectVersion);
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw ErrorCatalogue.SbomInputUnreadable.ToException(e, path, e.Message.TrimEnd('.'));
        }
    }
}
