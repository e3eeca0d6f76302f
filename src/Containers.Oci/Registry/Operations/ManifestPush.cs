using System.Net.Http.Headers;
using Containers.Oci.Errors;
using Containers.Oci.Model;

namespace Containers.Oci.Registry.Operations;

/// <summary><c>PUT /v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>: publishes a manifest under a tag or digest.</summary>
internal sealed class ManifestPush(RegistryTransport transport)
{
    public async Task<Digest> RunAsync(string repository, string reference, byte[] content, string mediaType, CancellationToken cancellationToken)
    {
        using var request = RegistryRequest.Create(HttpMethod.Put, transport.Api($"{repository}/manifests/{reference}"), [RegistryScope.Push(repository)],
            () => new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } });
        using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return Digest.Sha256(content);

        if (RegistryFailure.IsAccessDenied(response.StatusCode))
        {
            throw await RegistryFailure.FromResponseAsync(response, transport.Registry, repository, cancellationToken).ConfigureAwait(false);
        }
        var separator = Digest.TryParse(reference, out _) ? "@" : ":";
        var answer = await RegistryFailure.DescribeAsync(response, cancellationToken).ConfigureAwait(false);
        throw ErrorCatalogue.RegistryPushFailed.ToException($"{transport.Registry}/{repository}{separator}{reference}", answer);
    }
}
