using System.Net;
using System.Net.Http.Headers;
using Containers.Oci.Errors;
using Containers.Oci.Model;

namespace Containers.Oci.Registry.Operations;

/// <summary>
/// Pushes one blob: <c>POST</c> opens an upload session, then either one <c>PUT ?digest=</c> carrying the content
/// (small blobs) or a streamed <c>PATCH</c> followed by an empty closing <c>PUT ?digest=</c> (large blobs).
/// Content is always streamed from its source, never held in memory.
/// </summary>
internal sealed class BlobUpload(RegistryTransport transport)
{
    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    public async Task RunAsync(string repository, Descriptor descriptor, Func<CancellationToken, Task<Stream>> openContent, CancellationToken cancellationToken)
    {
        var digest = descriptor.ParsedDigest;
        var session = await StartAsync(repository, descriptor, cancellationToken).ConfigureAwait(false);
        await using var content = await openContent(cancellationToken).ConfigureAwait(false);
        if (descriptor.Size <= transport.Options.MonolithicUploadLimit)
        {
            await SendAsync(HttpMethod.Put, UploadLocation.WithDigest(session, digest), Body(content, descriptor.Size), repository, descriptor, HttpStatusCode.Created, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var next = await SendAsync(HttpMethod.Patch, session, Body(content, descriptor.Size), repository, descriptor, HttpStatusCode.Accepted, cancellationToken).ConfigureAwait(false);
            await SendAsync(HttpMethod.Put, UploadLocation.WithDigest(next ?? session, digest), Body(Stream.Null, 0), repository, descriptor, HttpStatusCode.Created, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens a session; its URL is the Location of the 202.</summary>
    private async Task<Uri> StartAsync(string repository, Descriptor descriptor, CancellationToken cancellationToken)
    {
        var uri = transport.Api($"{repository}/blobs/uploads/");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri);
        using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw await FailureAsync(response, repository, descriptor, cancellationToken).ConfigureAwait(false);
        }
        return LocationOf(response, uri) ?? throw ErrorCatalogue.BlobUploadFailed.ToException(
            descriptor.Digest, $"{transport.Registry}/{repository}", "202 Accepted without a Location header for the upload");
    }

    /// <summary>Sends one step of the upload; returns the Location the registry gave for the next step, if any.</summary>
    private async Task<Uri?> SendAsync(HttpMethod method, Uri uri, HttpContent body, string repository, Descriptor descriptor, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = body };
        using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != expected && !(expected == HttpStatusCode.Created && response.IsSuccessStatusCode))
        {
            throw await FailureAsync(response, repository, descriptor, cancellationToken).ConfigureAwait(false);
        }
        return LocationOf(response, uri);
    }

    // The length comes from the descriptor so any stream (a file, or another registry's response) can be sent as is.
    // StreamContent disposes the stream with the request; the caller's own dispose of it afterwards is harmless.
    private static StreamContent Body(Stream content, long size)
        => new(content) { Headers = { ContentType = OctetStream, ContentLength = size } };

    private static Uri? LocationOf(HttpResponseMessage response, Uri requestUri)
        => response.Headers.Location?.OriginalString is { Length: > 0 } location ? UploadLocation.Resolve(requestUri, location) : null;

    private async Task<Exception> FailureAsync(HttpResponseMessage response, string repository, Descriptor descriptor, CancellationToken cancellationToken)
    {
        if (RegistryFailure.IsAccessDenied(response.StatusCode))
        {
            return await RegistryFailure.FromResponseAsync(response, transport.Registry, repository, cancellationToken).ConfigureAwait(false);
        }
        var answer = await RegistryFailure.DescribeAsync(response, cancellationToken).ConfigureAwait(false);
        return ErrorCatalogue.BlobUploadFailed.ToException(descriptor.Digest, $"{transport.Registry}/{repository}", answer);
    }
}
