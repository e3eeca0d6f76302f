using System.Net;
using System.Net.Http.Headers;
using Containers.Oci.Model;

namespace Containers.Oci.Registry.Operations;

/// <summary>
/// <c>HEAD /v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>: the digest a tag points at, from <c>Docker-Content-Digest</c>.
/// Asked before putting a manifest (hence the push scope), to skip the PUT when the tag already names it.
/// </summary>
internal sealed class ManifestCheck(RegistryTransport transport)
{
    /// <summary>The digest, or null when there is no such manifest or the registry does not say.</summary>
    public async Task<Digest?> RunAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var request = RegistryRequest.Create(HttpMethod.Head, transport.Api($"{repository}/manifests/{reference}"), [RegistryScope.Push(repository)]);
        foreach (var mediaType in MediaTypes.AcceptedManifests) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode)
        {
            throw await RegistryFailure.FromResponseAsync(response, transport.Registry, repository, cancellationToken).ConfigureAwait(false);
        }
        return RegistryHeaders.ContentDigest(response);
    }
}
