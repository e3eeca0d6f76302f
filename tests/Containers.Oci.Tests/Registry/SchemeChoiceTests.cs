using System.Net;
using Containers.Oci.Errors;
using Containers.Oci.Model;
using Containers.Oci.Registry;

namespace Containers.Oci.Tests.Registry;

/// <summary>
/// Which scheme an insecure registry is spoken to with: HTTP first on this machine (and HTTPS when the server turns out
/// to speak TLS), HTTPS first elsewhere (and HTTP when it does not speak TLS). The decision holds for the client's life.
/// </summary>
public sealed class SchemeChoiceTests
{
    [Theory]
    [InlineData("localhost:5000")]
    [InlineData("127.0.0.1:5000")]
    [InlineData("[::1]:5000")]
    public async Task A_plain_registry_on_this_machine_is_spoken_to_over_HTTP_from_the_first_request(string registry)
    {
        var handler = new FakeRegistryHandler(request => request.Uri.Scheme == "https"
            ? throw new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established")
            : FakeRegistryHandler.ManifestAnswer());
        using var client = new RegistryClient(registry, FakeRegistryHandler.Options(), handler);

        await client.GetManifestAsync("app", "1");
        await client.GetManifestAsync("app", "2");

        Assert.Equal(["http", "http"], handler.Requests.Select(r => r.Uri.Scheme));
        Assert.All(handler.Requests, r => Assert.Equal(5000, r.Uri.Port));
    }

    [Theory]
    [InlineData("Client sent an HTTP request to an HTTPS server.\n")]              // Go (the Distribution registry)
    [InlineData("<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head></html>")]   // nginx
    public async Task A_TLS_registry_on_this_machine_is_found_out_by_its_answer_to_HTTP_and_then_spoken_to_over_HTTPS(string answer)
    {
        var handler = new FakeRegistryHandler(request => request.Uri.Scheme == "http"
            ? FakeRegistryHandler.Answer(HttpStatusCode.BadRequest, answer, "text/html")
            : FakeRegistryHandler.ManifestAnswer());
        using var client = new RegistryClient("localhost:5000", FakeRegistryHandler.Options(), handler);

        await client.GetManifestAsync("app", "1");
        await client.GetManifestAsync("app", "2");

        Assert.Equal(["http", "https", "https"], handler.Requests.Select(r => r.Uri.Scheme));
        Assert.Equal("https://localhost:5000/v2/app/manifests/1", handler.Requests[1].Uri.ToString());
    }

    [Fact]
    public async Task A_TLS_registry_on_this_machine_is_found_out_when_the_first_request_is_a_HEAD_whose_400_has_no_body()
    {
        // Go's TLS server answers any plain HTTP request with the same 400; to a HEAD, the text that says why is not read.
        var digest = Digest.Sha256("blob"u8.ToArray());
        var handler = new FakeRegistryHandler(request => request.Uri.Scheme == "http"
            ? FakeRegistryHandler.Answer(HttpStatusCode.BadRequest, request.Method == HttpMethod.Head ? "" : "Client sent an HTTP request to an HTTPS server.\n")
            : FakeRegistryHandler.Answer(HttpStatusCode.OK, "", null, ("Docker-Content-Digest", digest.ToString())));
        using var client = new RegistryClient("127.0.0.1:5000", FakeRegistryHandler.Options(), handler);

        Assert.True(await client.BlobExistsAsync("app", digest));
        Assert.True(await client.BlobExistsAsync("app", digest));

        Assert.Equal(["GET http://127.0.0.1:5000/v2/", "HEAD https://127.0.0.1:5000/v2/app/blobs/" + digest, "HEAD https://127.0.0.1:5000/v2/app/blobs/" + digest],
            handler.Requests.Select(r => $"{r.Method} {r.Uri}"));
    }

    [Fact]
    public async Task A_plain_registry_on_this_machine_whose_first_request_is_a_HEAD_keeps_HTTP_after_one_probe()
    {
        var handler = new FakeRegistryHandler(request => request.Uri.Scheme == "https"
            ? throw new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established")
            : request.Method == HttpMethod.Get ? FakeRegistryHandler.Challenge("Basic realm=\"registry\"") : FakeRegistryHandler.Answer(HttpStatusCode.NotFound));
        using var client = new RegistryClient("localhost:5000", FakeRegistryHandler.Options(), handler);

        Assert.False(await client.BlobExistsAsync("app", Digest.Sha256("blob"u8.ToArray())));
        Assert.False(await client.BlobExistsAsync("app", Digest.Sha256("blob"u8.ToArray())));

        Assert.Equal(["GET", "HEAD", "HEAD"], handler.Requests.Select(r => r.Method.Method));
        Assert.All(handler.Requests, r => Assert.Equal("http", r.Uri.Scheme));
    }

    [Fact]
    public async Task A_TLS_registry_on_this_machine_that_drops_plain_HTTP_is_spoken_to_over_HTTPS()
    {
        var handler = new FakeRegistryHandler(request => request.Uri.Scheme == "http"
            ? throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.")
            : FakeRegistryHandler.ManifestAnswer());
        using var client = new RegistryClient("127.0.0.1:5000", FakeRegistryHandler.Options(), handler);

        await client.GetManifestAsync("app", "1");

        Assert.Equal(["http", "https"], handler.Requests.Select(r => r.Uri.Scheme));
    }

    [Fact]
    public async Task A_registrys_own_400_over_HTTP_is_its_answer_not_a_sign_of_TLS()
    {
        var handler = new FakeRegistryHandler(_ => FakeRegistryHandler.Answer(HttpStatusCode.BadRequest,
            """{"errors":[{"code":"MANIFEST_INVALID","message":"manifest invalid"}]}""", "application/json"));
        using var client = new RegistryClient("localhost:5000", FakeRegistryHandler.Options(), handler);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync("app", "1"));

        Assert.Equal(["http"], handler.Requests.Select(r => r.Uri.Scheme));
        Assert.Contains("MANIFEST_INVALID", error.Message);
    }

    [Fact]
    public async Task A_listed_insecure_registry_elsewhere_is_tried_over_HTTPS_first_and_keeps_it_when_it_answers()
    {
        var handler = new FakeRegistryHandler(_ => FakeRegistryHandler.ManifestAnswer());
        using var client = new RegistryClient("registry.internal:5000", FakeRegistryHandler.Options(("DOTNET_CONTAINER_INSECURE_REGISTRIES", "registry.internal:5000")), handler);

        await client.GetManifestAsync("app", "1");
        await client.GetManifestAsync("app", "2");

        Assert.Equal(["https", "https"], handler.Requests.Select(r => r.Uri.Scheme));
    }

    [Fact]
    public async Task A_listed_insecure_registry_elsewhere_without_TLS_falls_back_to_HTTP_once_for_good()
    {
        var handler = new FakeRegistryHandler(request => request.Uri.Scheme == "https"
            ? throw new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established")
            : FakeRegistryHandler.ManifestAnswer());
        using var client = new RegistryClient("registry.internal:5000", FakeRegistryHandler.Options(("DOTNET_CONTAINER_INSECURE_REGISTRIES", "registry.internal")), handler);

        await client.GetManifestAsync("app", "1");
        await client.GetManifestAsync("app", "2");

        Assert.Equal(["https", "http", "http"], handler.Requests.Select(r => r.Uri.Scheme));
    }
}
