using Containers.IntegrationTests.Infrastructure;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Containers.IntegrationTests.Compatibility;

/// <summary>What a registry holds for one repository, read with plain distribution API calls (no auth, plain HTTP).</summary>
public static class RegistryReader
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    ];

    /// <summary>The repository's image tags, sorted (no referrers fallback tags); none when the repository does not exist.</summary>
    public static async Task<IReadOnlyList<string>> TagsAsync(string registry, string repository)
    {
        using var response = await Http.GetAsync($"http://{registry}/v2/{repository}/tags/list");
        if (response.StatusCode == HttpStatusCode.NotFound) return [];
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        // Referrers' fallback tags (our SBOM and provenance) are not image tags: the built-in makes none to compare with.
        return ReferrerTags.Without(body["tags"]?.AsArray().Select(t => t!.GetValue<string>()) ?? []).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The manifest under a tag or digest, with the media type the registry served it as.</summary>
    public static async Task<(JsonObject Manifest, string MediaType)> ManifestAsync(string registry, string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{registry}/v2/{repository}/manifests/{reference}");
        foreach (var type in ManifestTypes) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var manifest = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (manifest, response.Content.Headers.ContentType?.MediaType ?? "");
    }

    /// <summary>
    /// Tags an OCI index holding only the manifest under <paramref name="source"/>, with its platform, as
    /// <paramref name="tag"/>: a multi-platform base image that lacks every platform but one.
    /// </summary>
    public static async Task PushSinglePlatformIndexAsync(string registry, string repository, string source, string tag)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, $"http://{registry}/v2/{repository}/manifests/{source}");
        foreach (var type in ManifestTypes) get.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        using var response = await Http.SendAsync(get);
        response.EnsureSuccessStatusCode();
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var manifest = (JsonObject)JsonNode.Parse(bytes)!;
        var config = await ConfigAsync(registry, repository, manifest);
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = response.Content.Headers.ContentType!.MediaType,
                ["digest"] = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)),
                ["size"] = bytes.Length,
                ["platform"] = new JsonObject { ["os"] = config["os"]!.GetValue<string>(), ["architecture"] = config["architecture"]!.GetValue<string>() },
            }),
        };
        using var content = new StringContent(index.ToJsonString());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.index.v1+json");
        using var put = await Http.PutAsync($"http://{registry}/v2/{repository}/manifests/{tag}", content);
        put.EnsureSuccessStatusCode();
    }

    /// <summary>The image config a manifest points at.</summary>
    public static async Task<JsonObject> ConfigAsync(string registry, string repository, JsonObject manifest)
    {
        var digest = manifest["config"]!["digest"]!.GetValue<string>();
        var text = await Http.GetStringAsync($"http://{registry}/v2/{repository}/blobs/{digest}");
        return (JsonObject)JsonNode.Parse(text)!;
    }
}
