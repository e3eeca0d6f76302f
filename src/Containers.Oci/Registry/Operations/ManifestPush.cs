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
        var separator = Digest.TryParse(reference, out _) ? "@" : ":";
        if (response.IsSuccessStatusCode)
        {
            // The spec's answer is 201 Created with the digest stored. A 200 without that digest is something that is not
            // a registry answering in its place (a login page, a default site): believing it would report a push that
            // stored nothing.
            var digest = Digest.Sha256(content);
            var stored = RegistryHeaders.ContentDigest(response);
            if (stored is not null && stored != digest)
            {
                throw ErrorCatalogue.RegistryPushFailed.ToException($"{transport.Registry}/{repository}{separator}{reference}", $"{(int)response.StatusCode}, but it stored {stored} instead of {digest}");
            }
            if (response.StatusCode == System.Net.HttpStatusCode.Created || stored == digest) return digest;
            throw ErrorCatalogue.RegistryPushFailed.ToException($"{transport.Registry}/{repository}{separator}{reference}",
                $"{(int)response.StatusCode} {response.ReasonPhrase} without confirming it stored the manifest (no 201 Created, no Docker-Content-Digest); is '{transport.Registry}' a registry, or a proxy or login page in front of one");
        }

        if (RegistryFailure.IsAccessDenied(response.StatusCode))
        {
            throw await RegistryFailure.FromResponseAsync(response, transport.Registry, repository, cancellationToken).ConfigureAwait(false);
        }
        var answer = await RegistryFailure.DescribeAsync(response, cancellationToken).ConfigureAwait(false);
        throw ErrorCatalogue.RegistryPushFailed.ToException($"{transport.Registry}/{repository}{separator}{reference}", answer);
    }
}
