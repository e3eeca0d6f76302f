using System.Formats.Tar;
using System.Text;
using Containers.Oci.Images;

namespace Containers.Oci.Packages;

/// <summary>
/// What the base image says about its packages, read from its layers in order (a later layer's file wins, a whiteout
/// removes): its apt sources and keyrings, and its package database: the dpkg status file, or the <c>status.d</c>
/// folder of distroless images. Only these few small files are kept; the rest of each layer is skipped as it streams.
/// </summary>
public sealed class BaseSystem
{
    private static readonly string[] Prefixes = ["etc/apt/", "usr/share/keyrings/", "var/lib/dpkg/status", "usr/lib/os-release", "etc/os-release"];

    private BaseSystem(IReadOnlyDictionary<string, byte[]> files, IReadOnlyDictionary<string, string> topLinks)
    {
        Files = files;
        TopLevelLinks = topLinks;
    }

    /// <summary>Path (no leading slash) → content of each kept file.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }

    /// <summary>
    /// Links at the root (<c>bin → usr/bin</c>, <c>lib → usr/lib</c> in a merged-/usr system): a package's <c>/bin/x</c>
    /// must go to <c>usr/bin/x</c>, because a folder <c>bin/</c> in a layer above would hide the base's link.
    /// </summary>
    public IReadOnlyDictionary<string, string> TopLevelLinks { get; }

    public static BaseSystem FromFiles(IReadOnlyDictionary<string, byte[]> files, IReadOnlyDictionary<string, string>? topLevelLinks = null)
        => new(files, topLevelLinks ?? new Dictionary<string, string>());

    public static async Task<BaseSystem> ReadAsync(IImage image, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var layer in image.Layers)
        {
            await using var compressed = await layer.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var tar = Decompression.Open(compressed);
            await using var reader = new TarReader(tar);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var name = EntryPath(entry.Name);
                var slash = name.LastIndexOf('/');
                var fileName = name[(slash + 1)..];
                if (fileName.StartsWith(".wh.", StringComparison.Ordinal))
                {
                    var folder = name[..(slash + 1)];
                    if (fileName == ".wh..wh..opq") { foreach (var k in files.Keys.Where(k => k.StartsWith(folder, StringComparison.Ordinal)).ToList()) files.Remove(k); }
                    else { var gone = folder + fileName[4..]; foreach (var k in files.Keys.Where(k => k == gone || k.StartsWith(gone + "/", StringComparison.Ordinal)).ToList()) files.Remove(k); }
                    continue;
                }
                if (slash < 0 && name.Length > 0)
                {
                    if (entry.EntryType == TarEntryType.SymbolicLink) links[name] = entry.LinkName.Trim('/');
                    else links.Remove(name);
                }
                if (!Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))) continue;
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is { } data)
                {
                    using var copy = new MemoryStream();
                    await data.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                    files[name] = copy.ToArray();
                }
                else if (entry.EntryType == TarEntryType.SymbolicLink && ResolveLink(name, entry.LinkName) is { } target && files.TryGetValue(target, out var linked))
                {
                    files[name] = linked;   // os-release is a link to usr/lib/os-release, which an earlier entry of the layer wrote
                }
            }
        }
        return new BaseSystem(files, links);
    }

    /// <summary>Every source of the image's apt configuration, in apt's order: sources.list, then sources.list.d by name.</summary>
    public IReadOnlyList<AptSource> Sources()
    {
        var sources = new List<AptSource>();
        if (Text("etc/apt/sources.list") is { } list) sources.AddRange(AptSource.ParseList(list));
        foreach (var path in Files.Keys.Where(k => k.StartsWith("etc/apt/sources.list.d/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (path.EndsWith(".list", StringComparison.Ordinal)) sources.AddRange(AptSource.ParseList(Text(path)!));
            else if (path.EndsWith(".sources", StringComparison.Ordinal)) sources.AddRange(AptSource.ParseDeb822(Text(path)!));
        }
        return sources;
    }

    /// <summary>The dpkg status file, or null when the image has none (distroless images keep <see cref="StatusEntries"/> instead).</summary>
    public string? Status => Text("var/lib/dpkg/status");

    /// <summary>Distroless images' <c>/var/lib/dpkg/status.d/*</c>: one small status file per package.</summary>
    public IReadOnlyList<string> StatusEntries
        => Files.Where(f => f.Key.StartsWith("var/lib/dpkg/status.d/", StringComparison.Ordinal) && !f.Key.EndsWith(".md5sums", StringComparison.Ordinal))
            .OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => Encoding.UTF8.GetString(f.Value)).ToList();

    public bool UsesStatusFolder => Status is null && Files.Keys.Any(k => k.StartsWith("var/lib/dpkg/status.d/", StringComparison.Ordinal));

    /// <summary>The installed packages of the base: every paragraph whose Status says "installed".</summary>
    public IReadOnlyList<ControlParagraph> Installed()
    {
        var paragraphs = Status is { } status ? ControlParagraph.ParseAll(status) : StatusEntries.SelectMany(t => ControlParagraph.ParseAll(t)).ToList();
        // status.d entries have no Status field: each one is installed.
        return paragraphs.Where(p => p["Status"] is not { } s || s.EndsWith(" installed", StringComparison.Ordinal)).ToList();
    }

    public byte[]? File(string path) => Files.GetValueOrDefault(path.TrimStart('/'));

    private string? Text(string path) => Files.TryGetValue(path, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>A tar entry's name as a path below the root: no './' or '/' before it, no '/' after a folder.</summary>
    internal static string EntryPath(string name)
    {
        var path = name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name;
        return path.Trim('/');
    }

    private static string? ResolveLink(string name, string target)
    {
        if (target.StartsWith('/')) return target.TrimStart('/');
        var parts = name.Split('/').SkipLast(1).ToList();
        foreach (var part in target.Split('/'))
        {
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); }
            else if (part is not ("." or "")) parts.Add(part);
        }
        return string.Join('/', parts);
    }
}
