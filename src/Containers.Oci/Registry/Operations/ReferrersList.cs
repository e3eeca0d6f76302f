using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Containers.Oci.Errors;
using Containers.Oci.Model;

namespace Containers.Oci.Registry.Operations;

/// <summary>
/// The referrers of a manifest (OCI 1.1: manifests whose <c>subject</c> is it): <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c>
/// where the registry has that API, else the index under the fallback tag <c>&lt;algorithm&gt;-&lt;hex&gt;</c> that clients
/// keep for registries without it (the Distribution 2.8 registry answers the API with 404).
/// </summary>
internal sealed class ReferrersList(RegistryTransport transport)
{
    public async Task<RegistryReferrers> RunAsync(string repository, Digest subject, CancellationToken cancellationToken)
    {
        using (var request = RegistryRequest.Create(HttpMethod.Get, transport.Api($"{repository}/referrers/{subject}"), [RegistryScope.Pull(repository)]))
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciIndex));
            using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                return new RegistryReferrers(ApiSupported: true, Parse(body, repository, subject.ToString()));
            }
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                throw await RegistryFailure.FromResponseAsync(response, transport.Registry, repository, cancellationToken).ConfigureAwait(false);
            }
        }

        var tag = RegistryReferrers.FallbackTag(subject);
        try
        {
            var index = await new ManifestPull(transport).RunAsync(repository, tag, cancellationToken).ConfigureAwait(false);
            return new RegistryReferrers(ApiSupported: false, Parse(index.Content, repository, tag), index.Content);
        }
        catch (ContainerException e) when (e.Kind == FailureKind.NotFound)
        {
            return new RegistryReferrers(ApiSupported: false, []);
        }
    }

    private IReadOnlyList<Descriptor> Parse(byte[] body, string repository, string what)
    {
        try
        {
            return OciJson.Deserialize<LayoutIndex>(body).Manifests.Where(m => m is not null && Digest.TryParse(m.Digest, out _)).ToList();
        }
        catch (JsonException e)
        {
            throw ErrorCatalogue.ManifestPullFailed.ToException(e, $"{transport.Registry}/{repository}", $"its referrers of {what} are not an index ({e.Message.TrimEnd('.')})");
        }
    }
}
