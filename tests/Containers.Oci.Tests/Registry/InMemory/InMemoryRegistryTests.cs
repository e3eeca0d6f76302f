using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Containers.Oci.Model;
using Containers.Testing.Registry;
using static Containers.Oci.Tests.Registry.InMemory.TestContent;

namespace Containers.Oci.Tests.Registry.InMemory;

/// <summary>The fake itself, spoken to with a bare HttpClient: the parts of the spec the client does not exercise, and its refusals.</summary>
public sealed class InMemoryRegistryTests : IDisposable
{
    private readonly InMemoryRegistry _registry = new();
    private readonly HttpClient _http;

    public InMemoryRegistryTests() => _http = new HttpClient(_registry) { BaseAddress = new Uri($"https://{Host}/") };

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, byte[]? body = null, string? contentRange = null, string? contentType = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentRange is not null) request.Content.Headers.TryAddWithoutValidation("Content-Range", contentRange);
            if (contentType is not null) request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }
        return await _http.SendAsync(request);
    }

    private static async Task<string> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return json.RootElement.GetProperty("errors")[0].GetProperty("code").GetString()!;
    }

    private static string Location(HttpResponseMessage response) => response.Headers.Location!.OriginalString;

    [Fact]
    public async Task A_put_whose_digest_does_not_match_the_content_is_refused_and_nothing_is_stored()
    {
        var start = await SendAsync(HttpMethod.Post, "v2/app/blobs/uploads/");
        var wrong = Digest.Sha256("other"u8).ToString();

        var put = await SendAsync(HttpMethod.Put, $"{Location(start)}&digest={Uri.EscapeDataString(wrong)}", "content"u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await ErrorCodeAsync(put));
        Assert.Empty(_registry.Blobs("app"));
        Assert.Equal(0, _registry.OpenUploads);
    }

    [Fact]
    public async Task A_missing_blob_is_a_404_with_the_spec_error_document()
    {
        var digest = Digest.Sha256("nothing"u8).ToString();

        var get = await SendAsync(HttpMethod.Get, $"v2/app/blobs/{digest}");
        var head = await SendAsync(HttpMethod.Head, $"v2/app/blobs/{digest}");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("application/json", get.Content.Headers.ContentType?.MediaType);
        Assert.Equal("BLOB_UNKNOWN", await ErrorCodeAsync(get));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task A_head_on_a_blob_gives_its_size_and_digest()
    {
        var digest = _registry.AddBlob("app", Bytes(321));

        var head = await SendAsync(HttpMethod.Head, $"v2/app/blobs/{digest}");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(321, head.Content.Headers.ContentLength);
        Assert.Equal(digest, head.Headers.GetValues("Docker-Content-Digest").Single());
    }

    [Fact]
    public async Task A_chunk_at_the_wrong_offset_is_416_with_the_range_held_and_the_status_says_where_the_upload_stands()
    {
        var start = await SendAsync(HttpMethod.Post, "v2/app/blobs/uploads/");
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.Equal("0-0", start.Headers.GetValues("Range").Single());
        Assert.Equal("upload-1", start.Headers.GetValues("Docker-Upload-UUID").Single());
        var first = await SendAsync(HttpMethod.Patch, Location(start), Bytes(10), "0-9");

        var skipped = await SendAsync(HttpMethod.Patch, Location(first), Bytes(10, 2), "20-29");
        var status = await SendAsync(HttpMethod.Get, Location(start));

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, skipped.StatusCode);
        Assert.Equal("BLOB_UPLOAD_INVALID", await ErrorCodeAsync(skipped));
        Assert.Equal("0-9", skipped.Headers.GetValues("Range").Single());
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-9", status.Headers.GetValues("Range").Single());
        Assert.EndsWith("?_state=10", Location(status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunk_sent_to_an_old_location_is_refused()
    {
        var start = await SendAsync(HttpMethod.Post, "v2/app/blobs/uploads/");
        await SendAsync(HttpMethod.Patch, Location(start), Bytes(10), "0-9");

        var stale = await SendAsync(HttpMethod.Patch, Location(start), Bytes(10, 2), "10-19");

        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        Assert.Equal("BLOB_UPLOAD_INVALID", await ErrorCodeAsync(stale));
    }

    [Fact]
    public async Task A_cancelled_upload_is_gone()
    {
        var start = await SendAsync(HttpMethod.Post, "v2/app/blobs/uploads/");

        var delete = await SendAsync(HttpMethod.Delete, Location(start));
        var after = await SendAsync(HttpMethod.Get, Location(start));

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await ErrorCodeAsync(after));
    }

    [Fact]
    public async Task A_monolithic_post_with_the_digest_stores_the_blob_at_once()
    {
        var blob = Bytes(50);
        var digest = Digest.Sha256(blob).ToString();

        var post = await SendAsync(HttpMethod.Post, $"v2/team/app/blobs/uploads/?digest={Uri.EscapeDataString(digest)}", blob);

        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.Equal($"/v2/team/app/blobs/{digest}", Location(post));
        Assert.Equal(blob, _registry.Blob("team/app", digest));
        Assert.Equal(0, _registry.UploadsStarted);
    }

    [Fact]
    public async Task Without_chunked_uploads_a_patch_is_refused()
    {
        _registry.RefuseChunkedUploads = true;
        var start = await SendAsync(HttpMethod.Post, "v2/app/blobs/uploads/");

        var patch = await SendAsync(HttpMethod.Patch, Location(start), Bytes(10), "0-9");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, patch.StatusCode);
        Assert.Equal("UNSUPPORTED", await ErrorCodeAsync(patch));
    }

    [Fact]
    public async Task With_a_minimum_chunk_size_it_is_advertised_and_only_the_last_chunk_may_be_smaller()
    {
        _registry.MinimumChunkSize = 100;
        var start = await SendAsync(HttpMethod.Post, "v2/app/blobs/uploads/");
        var full = await SendAsync(HttpMethod.Patch, Location(start), Bytes(100), "0-99");
        var shortChunk = await SendAsync(HttpMethod.Patch, Location(full), Bytes(10, 2), "100-109");

        var afterShort = await SendAsync(HttpMethod.Patch, Location(shortChunk), Bytes(100, 3), "110-209");

        Assert.Equal("100", start.Headers.GetValues("OCI-Chunk-Min-Length").Single());
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted], [full.StatusCode, shortChunk.StatusCode]);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, afterShort.StatusCode);
    }

    [Fact]
    public async Task A_manifest_put_under_a_digest_it_does_not_have_is_refused()
    {
        var config = Config();
        _registry.AddBlob("app", config);
        var manifest = Manifest(Describe(config, MediaTypes.OciConfig));

        var put = await SendAsync(HttpMethod.Put, $"v2/app/manifests/{Digest.Sha256("x"u8)}", manifest, contentType: MediaTypes.OciManifest);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await ErrorCodeAsync(put));
    }

    [Fact]
    public async Task Repository_names_follow_the_spec_grammar()
    {
        var nested = await SendAsync(HttpMethod.Post, "v2/a/b-c/d__e.f/blobs/uploads/");
        var upper = await SendAsync(HttpMethod.Post, "v2/Team/App/blobs/uploads/");

        Assert.Equal(HttpStatusCode.Accepted, nested.StatusCode);
        Assert.StartsWith("/v2/a/b-c/d__e.f/blobs/uploads/", Location(nested), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, upper.StatusCode);
        Assert.Equal("NAME_INVALID", await ErrorCodeAsync(upper));
    }

    [Fact]
    public async Task Tags_are_listed_in_order_a_page_at_a_time_and_deleting_a_manifest_deletes_its_tags()
    {
        var config = Config();
        _registry.AddBlob("app", config);
        var manifest = Manifest(Describe(config, MediaTypes.OciConfig));
        var digest = _registry.AddManifest("app", manifest, MediaTypes.OciManifest, "b");
        _registry.AddManifest("app", manifest, MediaTypes.OciManifest, "a");
        var other = _registry.AddManifest("app", Manifest(Describe(config, MediaTypes.OciConfig), Describe(config, MediaTypes.OciConfig)), MediaTypes.OciManifest, "c");

        var page = await SendAsync(HttpMethod.Get, "v2/app/tags/list?n=2");
        var rest = await SendAsync(HttpMethod.Get, "v2/app/tags/list?n=2&last=b");
        var delete = await SendAsync(HttpMethod.Delete, $"v2/app/manifests/{digest}");

        Assert.Equal("""{"name":"app","tags":["a","b"]}""", await page.Content.ReadAsStringAsync());
        Assert.Equal("</v2/app/tags/list?n=2&last=b>; rel=\"next\"", page.Headers.GetValues("Link").Single());
        Assert.Equal("""{"name":"app","tags":["c"]}""", await rest.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        Assert.Equal(new Dictionary<string, string> { ["c"] = other }, _registry.Tags("app"));
    }

    [Fact]
    public async Task Without_the_referrers_api_its_endpoint_is_not_there()
    {
        var response = await SendAsync(HttpMethod.Get, $"v2/app/referrers/{Digest.Sha256("x"u8)}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task With_the_referrers_api_a_manifest_naming_a_subject_is_listed_filtered_by_artifact_type()
    {
        _registry.ReferrersApi = true;
        var config = Config();
        _registry.AddBlob("app", config);
        var subject = Manifest(Describe(config, MediaTypes.OciConfig));
        var subjectDigest = _registry.AddManifest("app", subject, MediaTypes.OciManifest, "1");
        var empty = "{}"u8.ToArray();
        _registry.AddBlob("app", empty);
        var sbom = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}","artifactType":"application/spdx+json",
             "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{{Digest.Sha256(empty)}}}","size":2},"layers":[],
             "subject":{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{subjectDigest}}}","size":{{{subject.Length}}}},
             "annotations":{"org.example":"sbom"}}
            """);

        var put = await SendAsync(HttpMethod.Put, $"v2/app/manifests/{Digest.Sha256(sbom)}", sbom, contentType: MediaTypes.OciManifest);
        var all = await SendAsync(HttpMethod.Get, $"v2/app/referrers/{subjectDigest}");
        var none = await SendAsync(HttpMethod.Get, $"v2/app/referrers/{subjectDigest}?artifactType=application%2Fother");

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(subjectDigest, put.Headers.GetValues("OCI-Subject").Single());
        Assert.Equal(MediaTypes.OciIndex, all.Content.Headers.ContentType?.MediaType);
        using var index = JsonDocument.Parse(await all.Content.ReadAsStringAsync());
        var referrer = Assert.Single(index.RootElement.GetProperty("manifests").EnumerateArray());
        Assert.Equal(Digest.Sha256(sbom).ToString(), referrer.GetProperty("digest").GetString());
        Assert.Equal("application/spdx+json", referrer.GetProperty("artifactType").GetString());
        Assert.Equal("sbom", referrer.GetProperty("annotations").GetProperty("org.example").GetString());
        using var filtered = JsonDocument.Parse(await none.Content.ReadAsStringAsync());
        Assert.Empty(filtered.RootElement.GetProperty("manifests").EnumerateArray());
        Assert.Equal("artifactType", none.Headers.GetValues("OCI-Filters-Applied").Single());
    }

    [Fact]
    public async Task Every_request_is_recorded_in_order_with_its_answer_and_the_headers_that_matter()
    {
        var start = await SendAsync(HttpMethod.Post, "v2/app/blobs/uploads/");
        await SendAsync(HttpMethod.Patch, Location(start), Bytes(10), "0-9", "application/octet-stream");

        var requests = _registry.Requests;

        Assert.Equal([1, 2], requests.Select(r => r.Sequence));
        Assert.Equal("PATCH /v2/app/blobs/uploads/upload-1", requests[1].ToString());
        Assert.Equal(("_state=0", 10L, 202), (requests[1].Query, requests[1].BodyLength, requests[1].Status));
        Assert.Equal(("0-9", "application/octet-stream"), (requests[1].Header("Content-Range"), requests[1].Header("content-type")));
    }
}
