using System.Net;
using Containers.Oci.Model;

namespace Containers.Oci.Registry.Operations;

/// <summary><c>HEAD /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>: does the repository already have this blob?</summary>
internal sealed class BlobCheck(RegistryTransport transport)
{
    public async Task<bool> RunAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, transport.Api($"{repository}/blobs/{digest}"));
        using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return true;
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        throw await RegistryFailure.FromResponseAsync(response, transport.Registry, repository, cancellationToken).ConfigureAwait(false);
    }
}
