using System.Net;
using Containers.Oci.Model;

namespace Containers.Oci.Registry.Operations;

/// <summary>
/// <c>HEAD /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>: does the repository already have this blob? Asked before a push, so it
/// asks for the push scope: one token then serves the check and the upload.
/// </summary>
internal sealed class BlobCheck(RegistryTransport transport)
{
    /// <param name="size">The blob's size when known: a 200 is believed only when its Content-Length says the same.</param>
    public async Task<bool> RunAsync(string repository, Digest digest, long? size, CancellationToken cancellationToken)
    {
        using var request = RegistryRequest.Create(HttpMethod.Head, transport.Api($"{repository}/blobs/{digest}"), [RegistryScope.Push(repository)]);
        using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return Confirms(response, digest, size);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        throw await RegistryFailure.FromResponseAsync(response, transport.Registry, repository, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A 200 says "present" only when it agrees with the blob: its length (when we know the size) and its digest header
    /// (when sent), and at least one of them was there to check. A web page answering 200 to everything (a captive
    /// portal, a login proxy) confirms nothing, so the blob is sent, and the upload then fails with a coded error.
    /// </summary>
    private static bool Confirms(HttpResponseMessage response, Digest digest, long? size)
    {
        var length = response.Content.Headers.ContentLength;
        var header = RegistryHeaders.ContentDigest(response);
        if (size is not null && length != size) return false;
        if (header is not null && header != digest) return false;
        return size is not null || header is not null;
    }
}
