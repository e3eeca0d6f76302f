using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Containers.Testing.Registry;

/// <summary>Builds the registry's responses: the spec's headers, and its error document for every failure.</summary>
internal static class DistributionAnswer
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static HttpResponseMessage Status(HttpStatusCode status, params (string Name, string Value)[] headers)
        => With(new HttpResponseMessage(status) { Content = new ByteArrayContent([]) }, headers);

    public static HttpResponseMessage Bytes(HttpStatusCode status, byte[] body, string contentType, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(body) };
        response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return With(response, headers);
    }

    /// <summary>
    /// A HEAD answer: no body, but the Content-Length (and type) a GET would have, as the spec asks; clients read a
    /// blob's size from it.
    /// </summary>
    public static HttpResponseMessage Head(long length, string? contentType, params (string Name, string Value)[] headers)
    {
        var response = Status(HttpStatusCode.OK, headers);
        response.Content.Headers.ContentLength = length;
        if (contentType is not null) response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return response;
    }

    public static HttpResponseMessage Object(HttpStatusCode status, object document, string contentType, params (string Name, string Value)[] headers)
        => Bytes(status, JsonSerializer.SerializeToUtf8Bytes(document), contentType, headers);

    /// <summary><c>{"errors":[{"code":…,"message":…,"detail":…}]}</c>, the document every registry error carries.</summary>
    public static HttpResponseMessage Error(HttpStatusCode status, string code, string message, object? detail = null, params (string Name, string Value)[] headers)
        => Errors(status, [(code, message, detail)], headers);

    /// <summary>Several errors in one document, as a registry lists every blob a manifest lacks.</summary>
    public static HttpResponseMessage Errors(HttpStatusCode status, IEnumerable<(string Code, string Message, object? Detail)> errors, params (string Name, string Value)[] headers)
    {
        var body = new { errors = errors.Select(e => new { code = e.Code, message = e.Message, detail = e.Detail }).ToArray() };
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body)) };
        response.Content.Headers.ContentType = Json;
        return With(response, headers);
    }

    /// <summary>What a router without the endpoint answers (Distribution 2.8 for the referrers API): not a JSON document.</summary>
    public static HttpResponseMessage PageNotFound()
        => Bytes(HttpStatusCode.NotFound, Encoding.UTF8.GetBytes("404 page not found\n"), "text/plain; charset=utf-8");

    /// <summary>The spec's inclusive <c>0-&lt;last&gt;</c>; like Distribution, <c>0-0</c> when nothing was received yet.</summary>
    public static string Range(long received) => string.Create(CultureInfo.InvariantCulture, $"0-{Math.Max(0, received - 1)}");

    private static HttpResponseMessage With(HttpResponseMessage response, (string Name, string Value)[] headers)
    {
        foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
        return response;
    }
}
