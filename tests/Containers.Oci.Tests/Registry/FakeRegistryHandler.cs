using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Containers.Oci.Tests.Registry;

/// <summary>
/// A fake registry (and token service) at the bottom of the handler chain that answers by rule rather than by script:
/// each request goes to <c>answer</c>, and is recorded with its headers and body as the client sent them.
/// </summary>
internal sealed class FakeRegistryHandler(Func<RecordedRequest, HttpResponseMessage> answer) : HttpMessageHandler
{
    private readonly List<RecordedRequest> _requests = [];

    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        // A copy of the headers as sent now: handlers change them on the same message before sending it again.
        var headers = new HttpRequestMessage().Headers;
        foreach (var header in request.Headers) headers.TryAddWithoutValidation(header.Key, header.Value);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, request.Content?.Headers, body);
        lock (_requests) _requests.Add(recorded);
        var response = answer(recorded);
        response.RequestMessage = request;
        return response;
    }

    public static HttpResponseMessage Answer(HttpStatusCode status, string body = "", string? contentType = null, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (contentType is not null) response.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
        return response;
    }

    /// <summary>A minimal OCI manifest, as the fake registry serves it.</summary>
    public const string Manifest = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":2},"layers":[]}""";

    public static HttpResponseMessage ManifestAnswer() => Answer(HttpStatusCode.OK, Manifest, Containers.Oci.Model.MediaTypes.OciManifest);

    /// <summary>Client options for tests: no retries, and these variables as the whole environment.</summary>
    public static Containers.Oci.Registry.RegistryClientOptions Options(params (string Name, string Value)[] variables) => new()
    {
        MaxRetries = 0,
        Environment = variables.ToDictionary(v => v.Name, v => v.Value),
    };

    public static HttpResponseMessage Bytes(byte[] content) => new(HttpStatusCode.OK) { Content = new ByteArrayContent(content) };

    public static HttpResponseMessage Challenge(string challenge)
        => Answer(HttpStatusCode.Unauthorized, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""", "application/json", ("WWW-Authenticate", challenge));
}

internal static class RecordedRequestExtensions
{
    public static string? Authorization(this RecordedRequest request) => request.Headers.Authorization?.ToString();

    public static string BodyText(this RecordedRequest request) => request.Body is null ? "" : Encoding.UTF8.GetString(request.Body);

    public static string? ContentRange(this RecordedRequest request)
        => request.ContentHeaders is not null && request.ContentHeaders.NonValidated.TryGetValues("Content-Range", out var values) ? values.FirstOrDefault() : null;
}
