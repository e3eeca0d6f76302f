using System.Text.Json;
using Containers.Oci.Errors;

namespace Containers.Oci.Layers;

/// <summary>
/// Sorts the files of a publish folder by origin, from the app's <c>.deps.json</c>: each library there is a
/// <c>package</c>, a <c>project</c> or a <c>runtimepack</c>, and lists the assets it contributes. An asset's published
/// path is its file name (RID-specific publish), its full <c>runtimes/...</c> path (portable publish), or
/// <c>&lt;culture&gt;/&lt;file&gt;</c> for satellite resources. Anything unclaimed belongs to the app.
/// </summary>
public sealed class PublishedFileClassifier
{
    private static readonly string[] HostFiles = ["libhostfxr.so", "libhostpolicy.so", "libhostfxr.dylib", "libhostpolicy.dylib", "hostfxr.dll", "hostpolicy.dll"];
    private readonly Dictionary<string, PublishedFileKind> _byPath = new(StringComparer.Ordinal);
    private readonly bool _selfContained;

    private PublishedFileClassifier(bool selfContained) => _selfContained = selfContained;

    /// <summary>
    /// Reads <paramref name="depsFile"/>; without one, every file is the app's (as with <c>Single</c> layering). It is
    /// read only when it is a regular file: a FIFO would block the build, and a link could point anywhere on the host.
    /// A file that is not a .deps.json is CONTAINER5403, not a stack trace.
    /// </summary>
    public static PublishedFileClassifier Load(string? depsFile)
    {
        if (depsFile is null) return new PublishedFileClassifier(false);
        switch (HostFileType.Of(depsFile).Kind)
        {
            case HostFileKind.Missing: return new PublishedFileClassifier(false);
            case HostFileKind.File: break;
            default: throw ErrorCatalogue.DepsFileInvalid.ToException(depsFile, "it is not a regular file");
        }
        try
        {
            return Read(depsFile);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a value of the wrong JSON type (a number where a name belongs).
            throw ErrorCatalogue.DepsFileInvalid.ToException(e, depsFile, e.Message);
        }
    }

    private static PublishedFileClassifier Read(string depsFile)
    {
        using var stream = File.OpenRead(depsFile);
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var appName = Path.GetFileName(depsFile)[..^".deps.json".Length];
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("libraries", out var libraries))
        {
            foreach (var library in libraries.EnumerateObject())
            {
                types[library.Name] = library.Value.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
            }
        }

        var selfContained = types.Values.Contains("runtimepack");
        var classifier = new PublishedFileClassifier(selfContained);
        if (!root.TryGetProperty("targets", out var targets)) return classifier;
        foreach (var target in targets.EnumerateObject())
        {
            foreach (var library in target.Value.EnumerateObject())
            {
                var name = library.Name.Split('/')[0];
                PublishedFileKind? kind = types.GetValueOrDefault(library.Name) switch
                {
                    "runtimepack" => PublishedFileKind.Runtime,
                    "package" => PublishedFileKind.Package,
                    "project" when !name.Equals(appName, StringComparison.OrdinalIgnoreCase) => PublishedFileKind.ProjectReference,
                    _ => null,
                };
                if (kind is { } k) classifier.Claim(library.Value, k);
            }
        }
        return classifier;
    }

    /// <summary>The kind of a file, by its path relative to the publish folder ('/' separators).</summary>
    public PublishedFileKind Classify(string relativePath)
    {
        if (_byPath.TryGetValue(relativePath, out var kind)) return kind;

        // Symbols and documentation travel with the assembly they describe.
        var extension = Path.GetExtension(relativePath);
        if (extension is ".pdb" or ".xml" && _byPath.TryGetValue(relativePath[..^extension.Length] + ".dll", out var owner)) return owner;

        if (_selfContained && HostFiles.Contains(relativePath, StringComparer.Ordinal)) return PublishedFileKind.Runtime;
        return PublishedFileKind.App;
    }

    private void Claim(JsonElement library, PublishedFileKind kind)
    {
        foreach (var section in new[] { "runtime", "native" })
        {
            if (!library.TryGetProperty(section, out var assets)) continue;
            foreach (var asset in assets.EnumerateObject())
            {
                // A RID-specific publish flattens assets to their file names.
                Add(Path.GetFileName(asset.Name), kind);
            }
        }
        if (library.TryGetProperty("runtimeTargets", out var runtimeTargets))
        {
            // A portable publish keeps runtimes/<rid>/... as it is.
            foreach (var asset in runtimeTargets.EnumerateObject()) Add(asset.Name, kind);
        }
        if (library.TryGetProperty("resources", out var resources))
        {
            foreach (var asset in resources.EnumerateObject())
            {
                if (asset.Value.TryGetProperty("locale", out var locale) && locale.GetString() is { Length: > 0 } culture)
                {
                    Add(culture + "/" + Path.GetFileName(asset.Name), kind);
                }
            }
        }
    }

    private void Add(string path, PublishedFileKind kind)
    {
        // When two libraries claim one path, the less frequently changing origin wins.
        if (!_byPath.TryGetValue(path, out var existing) || kind < existing) _byPath[path] = kind;
    }
}
