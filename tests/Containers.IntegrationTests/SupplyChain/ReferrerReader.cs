using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Containers.Oci.Registry;

namespace Containers.IntegrationTests.SupplyChain;

/// <summary>One referrer of an image as a registry client without our engine sees it: its manifest and its one blob.</summary>
public sealed record FoundReferrer(string Digest, string ArtifactType, JsonObject Manifest, byte[] Content);

/// <summary>
/// Finds an image's referrers the way any OCI 1.1 client does on a registry without the referrers API: plain HTTP to
/// the subject's fallback tag (<c>sha256-&lt;hex&gt;</c>), then each listed manifest and its blob. Independent of the engine.
/// </summary>
public static class ReferrerReader
{
    private const string OciIndex = "application/vnd.oci.image.index.v1+json";
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    public static async Task<IReadOnlyList<FoundReferrer>> ReadAsync(string registry, string repository, string subjectDigest)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{registry}/v2/{repository}/") };
        var tag = RegistryReferrers.FallbackTag(Containers.Oci.Model.Digest.Parse(subjectDigest));
        var index = await GetJsonAsync(http, $"manifests/{tag}", OciIndex);
        var found = new List<FoundReferrer>();
        foreach (var entry in index["manifests"]!.AsArray())
        {
            var digest = entry!["digest"]!.GetValue<string>();
            var manifest = await GetJsonAsync(http, $"manifests/{digest}", OciManifest);
            var blob = manifest["layers"]!.AsArray().Single()!["digest"]!.GetValue<string>();
            found.Add(new FoundReferrer(digest, entry["artifactType"]!.GetValue<string>(), manifest, await http.GetByteArrayAsync($"blobs/{blob}")));
        }
        return found;
    }

    /// <summary>A manifest's exact bytes, as a verifier of its signature needs them.</summary>
    public static async Task<byte[]> ManifestBytesAsync(string registry, string repository, string digest)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{registry}/v2/{repository}/") };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"manifests/{digest}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(OciManifest));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<JsonObject> GetJsonAsync(HttpClient http, string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }
}
