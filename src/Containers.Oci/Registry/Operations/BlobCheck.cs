using System.Net;
using Containers.Oci.Model;

namespace Containers.Oci.Registry.Operations;

/// <summary>
/// <c>HEAD /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>: does the repository already have this blob? Asked before a push, so it
/// asks for the push scope: one token then serves the check and the upload.
/// </summary>
internal sealed class BlobCheck(RegistryTransport transport)
{
    public async Task<bool> RunAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        using var request = RegistryRequest.Create(HttpMethod.Head, transport.Api($"{repository}/blobs/{digest}"), [RegistryScope.Push(repository)]);
        using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return true;
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        throw await RegistryFailure.FromResponseAsync(response, transport.Registry, repository, cancellationToken).ConfigureAwait(false);
    }
}
