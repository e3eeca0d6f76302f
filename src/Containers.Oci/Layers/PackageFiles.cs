using System.Text.Json;
using System.Xml;

namespace Containers.Oci.Layers;

/// <summary>
/// Which published files are a NuGet package's file as it is in the package (or a self-contained app's runtime pack),
/// so a layer key can name them by the package's hash and their path in the package instead of reading them: a fresh
/// CI agent then does not hash 30 MB of dependencies to find their layer unchanged.
/// <para>
/// The package's identity comes from the app's <c>.deps.json</c> (each <c>package</c> library's <c>sha512</c> and
/// <c>path</c>, which the SDK copies from the assets file) or, for a runtime pack (which has no hash there), from the
/// <c>.nupkg.sha512</c> file NuGet writes when it extracts the pack, with the pack's <c>data/RuntimeList.xml</c> for each
/// file's path in it. A published file counts as the package's only when its size and last-write time equal the
/// package file's in the NuGet packages folder: the rule MSBuild's incremental copy trusts, and what a plain publish
/// gives (it copies package files with their times). ReadyToRun, trimming and single-file write new files at the time of
/// the build, so their output never matches, and is hashed as any other file.
/// </para>
/// The packages folder is trusted as NuGet trusts it: a file changed there in place, with its size and time kept,
/// would be keyed as the package's original.
/// </summary>
public sealed class PackageFiles
{
    private readonly Dictionary<string, Origin?> _byRelativePath = new(StringComparer.Ordinal);
    private readonly string _publishDirectory = "";

    private PackageFiles() { }

    private PackageFiles(string publishDirectory) => _publishDirectory = Path.GetFullPath(publishDirectory);

    /// <summary>Knows no package: every file is keyed by its content hash.</summary>
    public static PackageFiles None { get; } = new();

    /// <summary>Files matched to their package so far (for the build log).</summary>
    public int Matched => _matched;
    private int _matched;

    /// <summary>What the key says of a package file: the package's hash and the file's place in it.</summary>
    /// <param name="Package">The package's <c>sha512-…</c> hash (of the .nupkg NuGet verified).</param>
    private sealed record Origin(string Package, string PathInPackage, string PackageFile);

    /// <summary>
    /// Reads <paramref name="depsFile"/> against <paramref name="packageRoot"/> (MSBuild's <c>NuGetPackageRoot</c>).
    /// Anything missing or unreadable gives fewer matches, never an error: those files are hashed.
    /// </summary>
    public static PackageFiles Load(string publishDirectory, string? depsFile, string? packageRoot)
    {
        if (depsFile is null || packageRoot is null || !Directory.Exists(packageRoot) || HostFileType.Of(depsFile).Kind != HostFileKind.File) return None;
        var files = new PackageFiles(publishDirectory);
        try
        {
            using var stream = File.OpenRead(depsFile);
            using var document = JsonDocument.Parse(stream);
            files.Read(document.RootElement, packageRoot);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or IOException or UnauthorizedAccessException or XmlException)
        {
            return None;   // the classifier reports a bad .deps.json; here it only costs hashing
        }
        return files;
    }

    /// <summary>
    /// The key text for a published file that is its package's file unchanged: <c>nuget &lt;sha512&gt; &lt;path in
    /// package&gt; &lt;size&gt;</c>; null when it is not one (then its content is hashed).
    /// </summary>
    public string? KeyOf(string sourcePath)
    {
        if (_byRelativePath.Count == 0) return null;
        var full = Path.GetFullPath(sourcePath);
        if (!full.StartsWith(_publishDirectory, StringComparison.Ordinal)) return null;
        var relative = Path.GetRelativePath(_publishDirectory, full).Replace('\\', '/');
        if (!_byRelativePath.TryGetValue(relative, out var origin) || origin is null) return null;
        var published = new FileInfo(full);
        var package = new FileInfo(origin.PackageFile);
        if (!published.Exists || !package.Exists || published.Length != package.Length || published.LastWriteTimeUtc != package.LastWriteTimeUtc) return null;
        Interlocked.Increment(ref _matched);
        return $"nuget {origin.Package} {origin.PathInPackage} {published.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private void Read(JsonElement root, string packageRoot)
    {
        if (!root.TryGetProperty("libraries", out var libraries) || !root.TryGetProperty("targets", out var targets)) return;
        foreach (var target in targets.EnumerateObject())
        {
            foreach (var library in target.Value.EnumerateObject())
            {
                if (!libraries.TryGetProperty(library.Name, out var info)) continue;
                var type = Text(info, "type");
                if (type == "package" && Text(info, "sha512") is { Length: > 0 } sha512 && Text(info, "path") is { Length: > 0 } path)
                {
                    AddPackage(library.Value, sha512, Path.Combine(packageRoot, path));
                }
                else if (type == "runtimepack")
                {
                    AddRuntimePack(library.Name, packageRoot);
                }
            }
        }
    }

    /// <summary>A package's assets by their published path, as <see cref="PublishedFileClassifier"/> places them.</summary>
    private void AddPackage(JsonElement library, string sha512, string packageFolder)
    {
        foreach (var section in new[] { "runtime", "native" })
        {
            if (!library.TryGetProperty(section, out var assets)) continue;
            foreach (var asset in assets.EnumerateObject()) Add(Path.GetFileName(asset.Name), sha512, asset.Name, packageFolder);
        }
        if (library.TryGetProperty("runtimeTargets", out var runtimeTargets))
        {
            foreach (var asset in runtimeTargets.EnumerateObject()) Add(asset.Name, sha512, asset.Name, packageFolder);
        }
        if (library.TryGetProperty("resources", out var resources))
        {
            foreach (var asset in resources.EnumerateObject())
            {
                if (asset.Value.TryGetProperty("locale", out var locale) && locale.GetString() is { Length: > 0 } culture)
                {
                    Add(culture + "/" + Path.GetFileName(asset.Name), sha512, asset.Name, packageFolder);
                }
            }
        }
    }

    /// <summary>
    /// <c>runtimepack.&lt;Id&gt;/&lt;version&gt;</c>: NuGet extracted the pack to <c>&lt;root&gt;/&lt;id&gt;/&lt;version&gt;</c> with its
    /// hash beside it; its RuntimeList.xml says where each published file is in the pack.
    /// </summary>
    private void AddRuntimePack(string libraryName, string packageRoot)
    {
        var parts = libraryName["runtimepack.".Length..].Split('/');
        if (parts.Length != 2) return;
        var (id, version) = (parts[0].ToLowerInvariant(), parts[1].ToLowerInvariant());
        var folder = Path.Combine(packageRoot, id, version);
        var hashFile = Path.Combine(folder, $"{id}.{version}.nupkg.sha512");
        var list = Path.Combine(folder, "data", "RuntimeList.xml");
        if (!File.Exists(hashFile) || !File.Exists(list)) return;
        var sha512 = "sha512-" + File.ReadAllText(hashFile).Trim();
        using var reader = XmlReader.Create(list, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element || reader.Name != "File" || reader.GetAttribute("Path") is not { Length: > 0 } path) continue;
            // A self-contained publish flattens the pack's files into the publish folder by name.
            Add(Path.GetFileName(path), sha512, path, folder);
        }
    }

    private void Add(string publishedPath, string sha512, string pathInPackage, string packageFolder)
    {
        // Two origins for one published name cannot both be right: such a file is hashed.
        var origin = new Origin(sha512, pathInPackage, Path.Combine(packageFolder, pathInPackage));
        _byRelativePath[publishedPath] = _byRelativePath.TryGetValue(publishedPath, out var existing) && existing != origin ? null : origin;
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
