using Containers.Oci.Diagnostics;

namespace Containers.Oci.Registry.Handlers;

/// <summary>
/// For an insecure registry: HTTPS first (its certificate unchecked, see <see cref="TlsTrust"/>), and when the registry
/// does not speak TLS at all, plain HTTP from then on. Requests are built for HTTPS; this rewrites those to the
/// registry's own host once the fallback happened. Secure registries pass through untouched.
/// </summary>
internal sealed class SchemeFallbackHandler(RegistryEndpoint endpoint, IBuildLog log) : DelegatingHandler
{
    private volatile bool _plainHttp;
    private int _fellBack;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!endpoint.IsInsecure || !endpoint.IsRegistryHost(request.RequestUri)) return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (_plainHttp)
        {
            ToHttp(request);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (request.RequestUri!.Scheme == Uri.UriSchemeHttps
                                             && e.HttpRequestError == HttpRequestError.SecureConnectionError
                                             && RegistryRequest.TryResetContent(request))
        {
            if (Interlocked.Exchange(ref _fellBack, 1) == 0) log.Detail($"Registry '{endpoint.Registry}' does not speak TLS; using plain HTTP (it is an insecure registry).");
            _plainHttp = true;
            ToHttp(request);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void ToHttp(HttpRequestMessage request)
    {
        var uri = request.RequestUri!;
        if (uri.Scheme != Uri.UriSchemeHttps) return;
        var builder = new UriBuilder(uri) { Scheme = Uri.UriSchemeHttp, Port = uri.IsDefaultPort ? -1 : uri.Port };
        request.RequestUri = builder.Uri;
    }
}
