using System.Net;
using Containers.Oci.Errors;
using Containers.Oci.Model;
using Containers.Oci.Registry;

namespace Containers.Oci.Tests.Registry;

/// <summary>What the client sends and how it reads answers, against a scripted registry (no network).</summary>
public sealed class RegistryClientProtocolTests
{
    private const string Registry = "registry.example.com";
    private static readonly byte[] Blob = "some blob content"u8.ToArray();
    private static readonly Descriptor BlobDescriptor = new() { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256(Blob).ToString(), Size = Blob.Length };

    // No retries, no process environment: each test scripts exactly the answers it needs.
    private static readonly RegistryClientOptions Quiet = new() { MaxRetries = 0, Environment = new Dictionary<string, string>() };

    private static RegistryClient Client(ScriptedRegistryHandler handler, RegistryClientOptions? options = null)
        => new(Registry, options ?? Quiet, handler);

    [Fact]
    public async Task A_small_blob_goes_in_one_put_to_the_relative_location_keeping_its_query()
    {
        var handler = new ScriptedRegistryHandler()
            .Then(HttpStatusCode.Accepted, location: "/v2/app/blobs/uploads/u1?_state=abc")
            .Then(HttpStatusCode.Created);
        using var client = Client(handler);

        await client.UploadBlobAsync("app", BlobDescriptor, () => new MemoryStream(Blob));

        Assert.Equal([HttpMethod.Post, HttpMethod.Put], handler.Requests.Select(r => r.Method));
        Assert.Equal("https://registry.example.com/v2/app/blobs/uploads/", handler.Requests[0].Uri.ToString());
        var put = handler.Requests[1];
        Assert.Equal("registry.example.com", put.Uri.Host);
        Assert.Equal("/v2/app/blobs/uploads/u1", put.Uri.AbsolutePath);
        Assert.Equal($"?_state=abc&digest=sha256%3A{Digest.Sha256(Blob).Encoded}", put.Uri.Query);
        Assert.Equal(Blob, put.Body);
        Assert.Equal("application/octet-stream", put.ContentHeaders!.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_large_blob_is_streamed_with_patch_then_closed_with_an_empty_put_following_each_location()
    {
        var handler = new ScriptedRegistryHandler()
            .Then(HttpStatusCode.Accepted, location: "https://upload.example.com/session/1")
            .Then(HttpStatusCode.Accepted, location: "https://upload.example.com/session/1?part=2")
            .Then(HttpStatusCode.Created);
        using var client = Client(handler, Quiet with { MonolithicUploadLimit = 4 });

        await client.UploadBlobAsync("app", BlobDescriptor, () => new MemoryStream(Blob));

        Assert.Equal([HttpMethod.Post, HttpMethod.Patch, HttpMethod.Put], handler.Requests.Select(r => r.Method));
        Assert.Equal("https://upload.example.com/session/1", handler.Requests[1].Uri.ToString());
        Assert.Equal(Blob, handler.Requests[1].Body);
        Assert.StartsWith("https://upload.example.com/session/1?part=2&digest=sha256%3A", handler.Requests[2].Uri.ToString());
        Assert.Empty(handler.Requests[2].Body!);
    }

    [Fact]
    public async Task A_rejected_upload_is_CONTAINER1001_with_the_registry_error_code()
    {
        var handler = new ScriptedRegistryHandler()
            .Then(HttpStatusCode.Accepted, location: "/v2/app/blobs/uploads/u1")
            .Then(HttpStatusCode.BadRequest, """{"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match uploaded content"}]}""");
        using var client = Client(handler);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.UploadBlobAsync("app", BlobDescriptor, () => new MemoryStream(Blob)));

        Assert.Equal(ErrorCatalogue.BlobUploadFailed.Code, error.Code);
        Assert.Contains("400", error.Message);
        Assert.Contains("DIGEST_INVALID: provided digest did not match uploaded content", error.Message);
    }

    [Fact]
    public async Task A_declined_mount_closes_the_upload_session_it_opened()
    {
        var handler = new ScriptedRegistryHandler()
            .Then(HttpStatusCode.Accepted, location: "/v2/app/blobs/uploads/u9")
            .Then(HttpStatusCode.NoContent);
        using var client = Client(handler);

        Assert.False(await client.TryMountBlobAsync("app", BlobDescriptor.ParsedDigest, "dotnet/runtime"));

        Assert.Equal($"?mount=sha256%3A{Digest.Sha256(Blob).Encoded}&from=dotnet%2Fruntime", handler.Requests[0].Uri.Query);
        Assert.Equal(HttpMethod.Delete, handler.Requests[1].Method);
        Assert.Equal("/v2/app/blobs/uploads/u9", handler.Requests[1].Uri.AbsolutePath);
    }

    [Fact]
    public async Task A_granted_mount_is_true()
    {
        var handler = new ScriptedRegistryHandler().Then(HttpStatusCode.Created);
        using var client = Client(handler);

        Assert.True(await client.TryMountBlobAsync("app", BlobDescriptor.ParsedDigest, "dotnet/runtime"));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Manifest_requests_accept_every_manifest_type_and_name_us()
    {
        var handler = new ScriptedRegistryHandler().Then(HttpStatusCode.OK, """{"mediaType":"application/vnd.oci.image.index.v1+json"}""", contentType: "application/json");
        using var client = Client(handler);

        var manifest = await client.GetManifestAsync("app", "1.0");

        var request = handler.Requests[0];
        Assert.Equal(MediaTypes.AcceptedManifests, request.Headers.Accept.Select(a => a.MediaType));
        Assert.StartsWith("Containers.Build/", request.Headers.UserAgent.ToString());
        Assert.Equal(MediaTypes.OciIndex, manifest.MediaType);   // from the document, as the Content-Type was generic
    }

    [Fact]
    public async Task A_manifest_asked_by_digest_must_hash_to_it()
    {
        var asked = Digest.Sha256("the manifest we wanted"u8);
        var handler = new ScriptedRegistryHandler().Then(HttpStatusCode.OK, """{"something":"else"}""", contentType: MediaTypes.OciManifest);
        using var client = Client(handler);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync("app", asked.ToString()));

        Assert.Equal(ErrorCatalogue.DigestMismatch.Code, error.Code);
    }

    [Fact]
    public async Task A_blob_whose_bytes_differ_from_its_digest_is_CONTAINER5004()
    {
        var tampered = "some blob CONTENT"u8.ToArray();   // same size, other bytes
        var handler = new ScriptedRegistryHandler().Then(HttpStatusCode.OK, bytes: tampered);
        using var client = Client(handler);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetBlobBytesAsync("app", BlobDescriptor));

        Assert.Equal(ErrorCatalogue.DigestMismatch.Code, error.Code);
        Assert.Contains($"got {Digest.Sha256(tampered)}", error.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task Refused_access_is_CONTAINER1016(HttpStatusCode status)
    {
        var handler = new ScriptedRegistryHandler().Then(status, """{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}""");
        using var client = Client(handler);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.BlobExistsAsync("app", BlobDescriptor.ParsedDigest));

        Assert.Equal(ErrorCatalogue.RegistryAccessDenied.Code, error.Code);
        Assert.Contains("DENIED", error.Message);
        Assert.Contains(Registry, error.Message);
    }

    [Fact]
    public async Task Any_other_failure_is_CONTAINER5003_with_method_path_and_codes_but_no_query()
    {
        var handler = new ScriptedRegistryHandler().Then(HttpStatusCode.InternalServerError, """{"errors":[{"code":"UNKNOWN","message":"storage exploded"}]}""");
        using var client = Client(handler);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync("app", "1.0"));

        Assert.Equal(ErrorCatalogue.RegistryProtocolError.Code, error.Code);
        Assert.Equal("The registry 'registry.example.com' answered 500 Internal Server Error (UNKNOWN: storage exploded) to GET /v2/app/manifests/1.0.", error.Message);
    }

    [Fact]
    public async Task A_refused_connection_is_CONTAINER1017_naming_the_registry()
    {
        var handler = new ScriptedRegistryHandler().Then((_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (registry.example.com:443)"));
        using var client = Client(handler);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.PingAsync());

        Assert.Equal(ErrorCatalogue.RegistryUnreachable.Code, error.Code);
        Assert.StartsWith("Could not reach the registry 'registry.example.com': Connection refused (registry.example.com:443).", error.Message);
    }

    [Fact]
    public async Task A_registry_that_does_not_answer_in_time_is_CONTAINER5110_naming_the_limit()
    {
        var handler = new ScriptedRegistryHandler().Then(async (_, cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var client = Client(handler, Quiet with { ResponseTimeout = TimeSpan.FromMilliseconds(200) });

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.PingAsync());

        Assert.Equal(ErrorCatalogue.RegistryTimedOut.Code, error.Code);
        Assert.Contains("did not answer GET /v2/ within 0.2 s; RegistryClientOptions.ResponseTimeout sets this limit", error.Message);
    }

    [Fact]
    public async Task A_rejected_manifest_is_CONTAINER1005_naming_the_tag_and_the_registry_error()
    {
        var handler = new ScriptedRegistryHandler().Then(HttpStatusCode.BadRequest, """{"errors":[{"code":"MANIFEST_INVALID","message":"manifest invalid"}]}""");
        using var client = Client(handler);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.PutManifestAsync("app", "1.0", "{}"u8.ToArray(), MediaTypes.OciManifest));

        Assert.Equal(ErrorCatalogue.RegistryPushFailed.Code, error.Code);
        Assert.Contains("registry.example.com/app:1.0", error.Message);
        Assert.Contains("MANIFEST_INVALID", error.Message);
    }

    [Fact]
    public async Task A_manifest_larger_than_4_MiB_is_CONTAINER1014()
    {
        var handler = new ScriptedRegistryHandler().Then(HttpStatusCode.OK, bytes: new byte[5 * 1024 * 1024], contentType: MediaTypes.OciManifest);
        using var client = Client(handler);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync("app", "1.0"));

        Assert.Equal(ErrorCatalogue.ManifestPullFailed.Code, error.Code);
        Assert.Contains("larger than 4 MiB", error.Message);
    }

    [Fact]
    public async Task A_blob_the_registry_does_not_have_is_CONTAINER1018()
    {
        var handler = new ScriptedRegistryHandler().Then(HttpStatusCode.NotFound, """{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]}""");
        using var client = Client(handler);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetBlobBytesAsync("app", BlobDescriptor));

        Assert.Equal(ErrorCatalogue.BlobDownloadFailed.Code, error.Code);
        Assert.Contains("404", error.Message);
        Assert.Contains("BLOB_UNKNOWN", error.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "{}", "500 Internal Server Error")]
    [InlineData(HttpStatusCode.OK, """{"expires_in":60}""", "its answer has no token")]
    [InlineData(HttpStatusCode.OK, "<html>", "its answer is not JSON")]
    public async Task A_token_service_that_fails_is_CONTAINER5105_naming_it(HttpStatusCode status, string body, string expected)
    {
        var handler = new FakeRegistryHandler(request => request.Uri.Host == "auth.example.com"
            ? FakeRegistryHandler.Answer(status, body, "application/json")
            : FakeRegistryHandler.Challenge("Bearer realm=\"https://auth.example.com/token?x=1\",service=\"svc\""));
        using var client = new RegistryClient(Registry, Quiet, handler);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync("app", "1.0"));

        Assert.Equal(ErrorCatalogue.TokenRequestFailed.Code, error.Code);
        Assert.Contains("https://auth.example.com/token", error.Message);
        Assert.DoesNotContain("x=1", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
