using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Containers.Oci.Errors;

namespace Containers.Oci.SupplyChain;

/// <summary>How a publish uses the base image lock file: where it is, and whether a moved tag fails the publish.</summary>
/// <param name="Path">The lock file (ContainerBaseImageLockFile).</param>
/// <param name="Locked">ContainerBaseImageLockedMode: the base must be the locked digest, and the file is never written.</param>
public sealed record BaseImageLockOptions(string Path, bool Locked);

/// <summary>
/// The base image lock file beside the project: the digest each base image reference resolved to, per platform, as
/// NuGet's packages.lock.json records package versions. A publish records what it built on; in locked mode it fails
/// (before anything is sent) when a tag now names other content, until the lock is refreshed.
/// </summary>
public static class BaseImageLock
{
    private const int FormatVersion = 1;

    /// <summary>reference → platform → digest, as the file holds them; empty when there is no file.</summary>
    public static SortedDictionary<string, SortedDictionary<string, string>> Read(string path)
    {
        var entries = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        if (!File.Exists(path)) return entries;
        try
        {
            var root = JsonNode.Parse(File.ReadAllBytes(path))?.AsObject() ?? throw new JsonException("it is empty");
            if (root["version"]?.GetValue<int>() != FormatVersion) throw new JsonException($"its version is not {FormatVersion}");
            foreach (var (reference, platforms) in root["baseImages"]?.AsObject() ?? throw new JsonException("it has no baseImages"))
            {
                var byPlatform = new SortedDictionary<string, string>(StringComparer.Ordinal);
                foreach (var (platform, digest) in platforms!.AsObject()) byPlatform[platform] = digest!.GetValue<string>();
                entries[reference] = byPlatform;
            }
            return entries;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException or IOException or UnauthorizedAccessException)
        {
            throw ErrorCatalogue.BaseImageLockUnreadable.ToException(e, path, e.Message.TrimEnd('.'));
        }
    }

    /// <summary>In locked mode, the base read for a platform must be the one the lock records (CONTAINER5610, 5611).</summary>
    public static void Verify(BaseImageLockOptions? options, string reference, string platform, string digest)
    {
        if (options is not { Locked: true }) return;
        var entries = Read(options.Path);
        if (!entries.TryGetValue(reference, out var platforms) || !platforms.TryGetValue(platform, out var locked))
        {
            throw ErrorCatalogue.BaseImageNotLocked.ToException(options.Path, reference, platform);
        }
        if (locked != digest) throw ErrorCatalogue.BaseImageMoved.ToException(reference, platform, digest, options.Path, locked);
    }

    /// <summary>Records what a publish (or a refresh) resolved; other references and platforms in the file are kept.</summary>
    public static async Task RecordAsync(string path, IEnumerable<(string Reference, string Platform, string Digest)> resolved, CancellationToken cancellationToken)
    {
        var entries = Read(path);
        var changed = false;
        foreach (var (reference, platform, digest) in resolved)
        {
            if (!entries.TryGetValue(reference, out var platforms)) entries[reference] = platforms = new SortedDictionary<string, string>(StringComparer.Ordinal);
            changed |= !platforms.TryGetValue(platform, out var old) || old != digest;
            platforms[platform] = digest;
        }
        if (!changed && File.Exists(path)) return;   // an unchanged lock is not rewritten, so its time stays
        var document = new JsonObject
        {
            ["version"] = FormatVersion,
            ["baseImages"] = new JsonObject(entries.Select(e => KeyValuePair.Create(e.Key,
                (JsonNode?)new JsonObject(e.Value.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))))))),
        };
        var full = System.IO.Path.GetFullPath(path);
        var temporary = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            await File.WriteAllBytesAsync(temporary, DocumentJson.Bytes(document), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ErrorCatalogue.BaseImageLockNotWritable.ToException(e, path, e.Message.TrimEnd('.'));
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
