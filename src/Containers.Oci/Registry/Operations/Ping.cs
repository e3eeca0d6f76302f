using System.Net;

namespace Containers.Oci.Registry.Operations;

/// <summary><c>GET /v2/</c>: is a registry there? 200 (open) and 401 (wants credentials) both say yes.</summary>
internal sealed class Ping(RegistryTransport transport)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var request = RegistryRequest.Create(HttpMethod.Get, transport.Api(""), []);
        using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Unauthorized) return;
        throw await RegistryFailure.FromResponseAsync(response, transport.Registry, "", cancellationToken).ConfigureAwait(false);
    }
}
