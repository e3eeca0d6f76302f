using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Containers.Oci.Errors;
using Containers.Oci.Model;

namespace Containers.Oci.Registry.Operations;

/// <summary><c>GET /v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>: a manifest or index, its bytes kept exactly as sent.</summary>
internal sealed class ManifestPull(RegistryTransport transport)
{
    // The distribution spec lets registries refuse manifests above 4 MiB; anything larger is not a manifest we want in memory.
    private const int MaxManifestBytes = 4 * 1024 * 1024;

    public async Task<RegistryManifest> RunAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var request = RegistryRequest.Create(HttpMethod.Get, transport.Api($"{repository}/manifests/{reference}"), [RegistryScope.Pull(repository)]);
        foreach (var mediaType in MediaTypes.AcceptedManifests) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));

        using var response = await transport.SendAsync(request, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw ErrorCatalogue.RepositoryNotFound.ToException(repository, reference, transport.Registry);
        }
        if (!response.IsSuccessStatusCode)
        {
            throw await RegistryFailure.FromResponseAsync(response, transport.Registry, repository, cancellationToken).ConfigureAwait(false);
        }

        var content = await ReadLimitedAsync(response, repository, reference, cancellationToken).ConfigureAwait(false);
        var digest = VerifiedDigest(content, repository, reference);
        return new RegistryManifest(content, MediaTypeOf(response, content), digest);
    }

    /// <summary>When asked by digest, the bytes must hash to it: otherwise we would build on content nobody asked for.</summary>
    private Digest VerifiedDigest(byte[] content, string repository, string reference)
    {
        if (!Digest.TryParse(reference, out var requested)) return Digest.Sha256(content);
        var actual = DigestAlgorithm.Compute(requested.Algorithm, content);
        if (actual != requested)
        {
            throw ErrorCatalogue.DigestMismatch.ToException(reference, $"{transport.Registry}/{repository}", actual.ToString());
        }
        return actual;
    }

    /// <summary>The Content-Type when it names a manifest type; else the document's own mediaType; else whatever was sent.</summary>
    private static string MediaTypeOf(HttpResponseMessage response, byte[] content)
    {
        var header = response.Content.Headers.ContentType?.MediaType;
        if (MediaTypes.IsManifest(header) || MediaTypes.IsIndex(header)) return header!;
        string? declared = null;
        try { declared = OciJson.PeekMediaType(content); }
        catch (JsonException) { }
        return declared ?? header ?? "";
    }

    private async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, string repository, string reference, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxManifestBytes)
                {
                    throw ErrorCatalogue.ManifestPullFailed.ToException($"{transport.Registry}/{repository}:{reference}", "it is larger than 4 MiB");
                }
            }
        }
        catch (IOException e)
        {
            throw ErrorCatalogue.ManifestPullFailed.ToException(e, $"{transport.Registry}/{repository}:{reference}", e.Message.TrimEnd('.'));
        }
        return buffer.ToArray();
    }
}
