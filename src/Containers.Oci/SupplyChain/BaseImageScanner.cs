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
public sealed class BaseImageScanner(string? memoDirectory, IBuildLog log)
{
    private static readonly (string Variable, string Framework)[] FrameworkVariables =
        [("DOTNET_VERSION", "Microsoft.NETCore.App"), ("ASPNET_VERSION", "Microsoft.AspNetCore.App")];

    public async Task<BaseImageFacts> ScanAsync(IImage baseImage, string reference, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var layers = new List<LayerFacts>();
        var read = 0;
        foreach (var layer in baseImage.Layers)
        {
            var (facts, fromLayer) = await FactsAsync(layer, cancellationToken).ConfigureAwait(false);
            if (facts is not null) layers.Add(facts);
            if (fromLayer) read++;
        }
        log.Detail($"Time: the base's {baseImage.Layers.Count} layers scanned for OS packages in {clock.Elapsed.TotalMilliseconds:0} ms ({read} read, the others remembered).");
        var files = LayerFacts.Overlay(layers);
        var packages = new SortedDictionary<(string, string?), OsPackage>();
        foreach (var (path, text) in files.Where(f => f.Key == LayerFacts.Status || f.Key.StartsWith(LayerFacts.StatusD, StringComparison.Ordinal)))
        {
            foreach (var package in DpkgStatus.Parse(text)) packages[(package.Name, package.Architecture)] = package;
        }
        var osRelease = LayerFacts.OsRelease.Select(files.GetValueOrDefault).FirstOrDefault(t => t is not null);
        var (osId, osVersion) = osRelease is null ? (null, null) : DpkgStatus.ParseOsRelease(osRelease);
        return new BaseImageFacts
        {
            Reference = reference,
            Digest = baseImage.Digest.ToString(),
            OsId = osId,
            OsVersion = osVersion,
            OsPackages = packages.Values.ToList(),
            Frameworks = Frameworks(baseImage.Config),
        };
    }

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

    /// <summary>A layer's facts, from the memo or (FromLayer) by reading it; null facts for a layer that is not a readable tar.</summary>
    private async Task<(LayerFacts? Facts, bool FromLayer)> FactsAsync(ILayer layer, CancellationToken cancellationToken)
    {
        var memo = memoDirectory is null ? null : Path.Combine(memoDirectory, layer.Descriptor.Digest.Replace(':', '-') + ".json");
        if (memo is not null && TryReadMemo(memo) is { } known) return (known, false);
        var facts = await LayerFacts.ReadAsync(layer, cancellationToken).ConfigureAwait(false);
        if (facts is null) return (null, true);
        if (memo is not null) WriteMemo(memo, facts);
        return (facts, true);
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
