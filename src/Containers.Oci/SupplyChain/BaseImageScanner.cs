using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;

namespace Containers.Oci.SupplyChain;

/// <summary>
/// What a base image records about itself: its OS packages (dpkg's status, distroless' status.d), its distribution
/// (os-release), and the .NET shared frameworks its environment names. Each layer is read once per machine folder:
/// its facts are kept under <paramref name="memoDirectory"/> by the layer's digest (content-keyed, so never stale).
/// </summary>
/// <param name="keepLayers">
/// True when the publish reads the base's layers again (a destination that cannot mount them, OS packages): they are then
/// downloaded into the content cache once. False: they are streamed and kept nowhere (only their facts are).
/// </param>
public sealed class BaseImageScanner(string? memoDirectory, IBuildLog log, bool keepLayers = true)
{
    private static readonly (string Variable, string Framework)[] FrameworkVariables =
        [("DOTNET_VERSION", "Microsoft.NETCore.App"), ("ASPNET_VERSION", "Microsoft.AspNetCore.App")];

    /// <param name="known">
    /// Where the facts may already be written down (SBOMs in the registry, <see cref="SbomReferrers"/>): asked when some layer
    /// has no memo, before any layer is downloaded; null, or an answer of null, and the layers are read.
    /// </param>
    public async Task<BaseImageFacts> ScanAsync(IImage baseImage, string reference, CancellationToken cancellationToken,
        Func<CancellationToken, Task<BaseOsFacts?>>? known = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var memos = baseImage.Layers.Select(MemoOf).ToList();
        if (memos.Any(m => m is null))
        {
            // Facts an SBOM gave for this very image before: the lookup is not made again on every publish.
            if (ImageMemoPath(baseImage) is { } imageMemo && TryReadImageMemo(imageMemo) is { } remembered)
            {
                log.Detail($"Time: the base's OS packages remembered from an SBOM read earlier for {baseImage.Digest}; neither SBOM nor layer read.");
                return Facts(baseImage, reference, remembered);
            }
            if (known is not null && await known(cancellationToken).ConfigureAwait(false) is { } written)
            {
                if (ImageMemoPath(baseImage) is { } path) WriteImageMemo(path, written);
                return Facts(baseImage, reference, written);
            }
        }
        // The layers are downloaded and read at once: the downloads overlap one another and the inflating.
        var read = memos.Count(m => m is null);
        var layers = (await Task.WhenAll(memos.Select((memo, i) => memo is null ? ReadAsync(baseImage.Layers[i], cancellationToken) : Task.FromResult<LayerFacts?>(memo)))
            .ConfigureAwait(false)).OfType<LayerFacts>().ToList();
        log.Detail($"Time: the base's {baseImage.Layers.Count} layers scanned for OS packages in {clock.Elapsed.TotalMilliseconds:0} ms ({read} read, the others remembered).");
        var files = LayerFacts.Overlay(layers);
        var packages = new List<OsPackage>();
        foreach (var (path, text) in files.Where(f => f.Key == LayerFacts.Status || f.Key.StartsWith(LayerFacts.StatusD, StringComparison.Ordinal)))
        {
            packages.AddRange(DpkgStatus.Parse(text));
        }
        var osRelease = LayerFacts.OsRelease.Select(files.GetValueOrDefault).FirstOrDefault(t => t is not null);
        var (osId, osVersion) = osRelease is null ? (null, null) : DpkgStatus.ParseOsRelease(osRelease);
        return Facts(baseImage, reference, new BaseOsFacts(osId, osVersion, SbomOsFacts.Sorted(packages)));
    }

    private static BaseImageFacts Facts(IImage baseImage, string reference, BaseOsFacts os) => new()
    {
        Reference = reference,
        Digest = baseImage.Digest.ToString(),
        OsId = os.OsId,
        OsVersion = os.OsVersion,
        OsPackages = os.Packages,
        Frameworks = Frameworks(baseImage.Config),
    };

    /// <summary>DOTNET_VERSION and ASPNET_VERSION, as the official images set them, as shared frameworks.</summary>
    internal static IReadOnlyList<(string Name, string Version)> Frameworks(JsonObject config)
    {
        var env = (config["config"]?["Env"] as JsonArray)?.Select(e => ImageDocuments.Text(e) ?? "").ToList() ?? [];
        var found = new List<(string, string)>();
        foreach (var (variable, framework) in FrameworkVariables)
        {
            var value = env.LastOrDefault(e => e.StartsWith(variable + "=", StringComparison.Ordinal))?[(variable.Length + 1)..];
            if (!string.IsNullOrWhiteSpace(value)) found.Add((framework, value));
        }
        return found;
    }

    /// <summary>Where facts taken from an SBOM are kept, by the base image's digest (its layers were not read, so they have no memo).</summary>
    private string? ImageMemoPath(IImage image) => memoDirectory is null ? null : Path.Combine(memoDirectory, "image-" + image.Digest.ToString().Replace(':', '-') + ".json");

    private static BaseOsFacts? TryReadImageMemo(string path)
    {
        try
        {
            if (!File.Exists(path)) return null;
            var node = JsonNode.Parse(File.ReadAllBytes(path))!.AsObject();
            var packages = node["packages"]!.AsArray().Select(p => new OsPackage(
                p!["name"]!.GetValue<string>(), p["version"]!.GetValue<string>(), p["architecture"]?.GetValue<string>(), p["source"]?.GetValue<string>())).ToList();
            return new BaseOsFacts(node["osId"]?.GetValue<string>(), node["osVersion"]?.GetValue<string>(), packages);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException or NullReferenceException)
        {
            return null;   // a damaged memo: the SBOMs are asked again
        }
    }

    private void WriteImageMemo(string path, BaseOsFacts facts)
    {
        var node = new JsonObject
        {
            ["osId"] = facts.OsId,
            ["osVersion"] = facts.OsVersion,
            ["packages"] = new JsonArray(facts.Packages.Select(p => (JsonNode?)new JsonObject
            {
                ["name"] = p.Name, ["version"] = p.Version, ["architecture"] = p.Architecture, ["source"] = p.Source,
            }).ToArray()),
        };
        WriteAtomically(path, node);
    }

    private string? MemoPath(ILayer layer) => memoDirectory is null ? null : Path.Combine(memoDirectory, layer.Descriptor.Digest.Replace(':', '-') + ".json");

    private LayerFacts? MemoOf(ILayer layer) => MemoPath(layer) is { } memo ? TryReadMemo(memo) : null;

    /// <summary>A layer's facts by reading it, remembered for next time; null for a layer that is not a readable tar.</summary>
    private async Task<LayerFacts?> ReadAsync(ILayer layer, CancellationToken cancellationToken)
    {
        var facts = await LayerFacts.ReadAsync(layer, cancellationToken, keepLayers).ConfigureAwait(false);
        if (facts is not null && MemoPath(layer) is { } memo) WriteMemo(memo, facts);
        return facts;
    }

    private static LayerFacts? TryReadMemo(string path)
    {
        try
        {
            if (!File.Exists(path)) return null;
            var node = JsonNode.Parse(File.ReadAllBytes(path))!.AsObject();
            var files = node["files"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
            return new LayerFacts(files, node["deleted"]!.AsArray().Select(d => d!.GetValue<string>()).ToList(), node["opaque"]!.AsArray().Select(d => d!.GetValue<string>()).ToList());
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException or NullReferenceException)
        {
            return null;   // a damaged memo is read again from the layer
        }
    }

    /// <summary>Written to a temporary file and renamed, so a killed build never leaves a half memo; failing to write only costs a re-read.</summary>
    private void WriteMemo(string path, LayerFacts facts)
    {
        var node = new JsonObject
        {
            ["files"] = new JsonObject(facts.Files.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)JsonValue.Create(f.Value)))),
            ["deleted"] = new JsonArray(facts.Deleted.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
            ["opaque"] = new JsonArray(facts.Opaque.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
        };
        WriteAtomically(path, node);
    }

    private void WriteAtomically(string path, JsonObject node)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(temporary, node.ToJsonString(), new UTF8Encoding(false));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Detail($"The SBOM's memo of a base layer could not be written ({e.Message.TrimEnd('.')}); it is read again next time.");
            try { File.Delete(temporary); } catch (IOException) { }
        }
    }
}
