using System.Net;
using Containers.Oci.Model;

namespace Containers.Oci.Registry.Operations;

/// <summary>
/// <c>POST /v2/&lt;name&gt;/blobs/uploads/?mount=&lt;digest&gt;&amp;from=&lt;repository&gt;</c>: asks the registry to link a
/// blob it already holds in another repository, so its bytes need not travel at all.
/// </summary>
internal sealed class BlobMount(RegistryTransport transport)
{
    /// <summary>True when mounted (201). A 202 means the registry declined and opened an upload session instead; we close it.</summary>
    public async Task<bool> RunAsync(string repository, Digest digest, string fromRepository, CancellationToken cancellationToken)
    {
        var uri = UploadLocation.WithQuery(UploadLocation.WithQuery(transport.Api($"{repository}/blobs/uploads/"), "mount", digest.ToString()), "from", fromRepository);
        using var request = RegistryRequest.Create(HttpMethod.Post, uri, [RegistryScope.Push(repository), RegistryScope.Pull(fromRepository)]);
        using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created) return true;
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            await CancelSessionAsync(repository, uri, response, cancellationToken).ConfigureAwait(false);
            return false;
        }
        throw await RegistryFailure.FromResponseAsync(response, transport.Registry, repository, cancellationToken).ConfigureAwait(false);
    }

    // Best effort: an abandoned session only costs the registry a little until it expires, so no failure here matters.
    private async Task CancelSessionAsync(string repository, Uri requestUri, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var location = response.Headers.Location?.OriginalString;
        if (string.IsNullOrEmpty(location)) return;
        try
        {
            using var delete = RegistryRequest.Create(HttpMethod.Delete, UploadLocation.Resolve(requestUri, location), [RegistryScope.Push(repository)], retry: false);
            using var _ = await transport.SendAsync(delete, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
        }
    }
}
