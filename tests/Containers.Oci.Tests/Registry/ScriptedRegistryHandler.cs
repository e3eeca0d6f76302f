using System.Net;
using System.Net.Http.Headers;

namespace Containers.Oci.Tests.Registry;

/// <summary>
/// A fake registry at the bottom of the handler chain: each request gets the next scripted answer, and is recorded
/// (method, URL, headers, body) so a test can check exactly what the client sent.
/// </summary>
internal sealed class ScriptedRegistryHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _answers = new();

    public List<RecordedRequest> Requests { get; } = [];

    public ScriptedRegistryHandler Then(HttpStatusCode status, string? body = null, string? location = null, string? contentType = null, byte[]? bytes = null)
    {
        _answers.Enqueue((_, _) => Task.FromResult(Response(status, body, location, contentType, bytes)));
        return this;
    }

    public ScriptedRegistryHandler Then(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer)
    {
        _answers.Enqueue(answer);
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Requests.Add(new RecordedRequest(request.Method, request.RequestUri!, request.Headers, request.Content?.Headers, body));
        if (_answers.Count == 0) throw new InvalidOperationException($"No scripted answer for {request.Method} {request.RequestUri}.");
        var response = await _answers.Dequeue()(request, cancellationToken);
        response.RequestMessage = request;
        return response;
    }

    private static HttpResponseMessage Response(HttpStatusCode status, string? body, string? location, string? contentType, byte[]? bytes)
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(bytes ?? System.Text.Encoding.UTF8.GetBytes(body ?? "")) };
        if (contentType is not null) response.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (location is not null) response.Headers.TryAddWithoutValidation("Location", location);
        return response;
    }
}

internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, HttpRequestHeaders Headers, HttpContentHeaders? ContentHeaders, byte[]? Body);
