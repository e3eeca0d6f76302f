using System.Net;
using Containers.Oci.Diagnostics;

namespace Containers.Oci.Registry.Handlers;

/// <summary>
/// Chooses between HTTPS and plain HTTP for an insecure registry; secure registries pass through untouched.
/// <list type="bullet">
/// <item>Listed insecure registries on other machines: HTTPS first (its certificate unchecked, see <see cref="TlsTrust"/>),
/// and when the registry does not speak TLS at all, plain HTTP from then on.</item>
/// <item>Registries on this machine: plain HTTP first, because that is what a development registry speaks and a TLS
/// attempt costs about a tenth of a second of TLS setup in every build. A loopback server that does speak TLS answers
/// plain HTTP with a 400 saying so (Go's and nginx's servers), or drops the connection; then HTTPS from then on.
/// That 400's body is what tells it from a registry's own 400, and an answer to HEAD has no body: when the first
/// request is a HEAD (a push's first blob or manifest check), a <c>GET /v2/</c> over plain HTTP decides first.</item>
/// </list>
/// Requests are built for HTTPS; this rewrites them to HTTP on the registry's own host and port.
/// </summary>
internal sealed class SchemeFallbackHandler(RegistryEndpoint endpoint, IBuildLog log) : DelegatingHandler
{
    private const int Undecided = 0, Http = 1, Https = 2;

    // Loopback starts on HTTP without having decided; others start on HTTPS.
    private readonly bool _httpFirst = RegistryEndpoint.IsLoopback(endpoint.Registry);
    private int _scheme = Undecided;
    private int _noted;
    private Lazy<Task<int>>? _probe;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!endpoint.IsInsecure || !endpoint.IsRegistryHost(request.RequestUri) || request.RequestUri!.Scheme != Uri.UriSchemeHttps)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        switch (Volatile.Read(ref _scheme))
        {
            case Http:
                ToHttp(request);
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            case Https:
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        return _httpFirst ? await HttpFirstAsync(request, cancellationToken).ConfigureAwait(false) : await HttpsFirstAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> HttpsFirstAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError && RegistryRequest.TryResetContent(request))
        {
            Decide(Http, $"Registry '{endpoint.Registry}' does not speak TLS; using plain HTTP (it is an insecure registry).");
            ToHttp(request);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        Decide(Https, null);
        return response;
    }

    private async Task<HttpResponseMessage> HttpFirstAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Head)
        {
            // Parallel first HEADs (a push checks several blobs at once) share one probe.
            var probe = Volatile.Read(ref _probe);
            if (probe is null)
            {
                var uri = request.RequestUri!;
                var created = new Lazy<Task<int>>(() => ProbeAsync(uri, cancellationToken));
                probe = Interlocked.CompareExchange(ref _probe, created, null) ?? created;
            }
            int scheme;
            try
            {
                scheme = await probe.Value.ConfigureAwait(false);
            }
            catch
            {
                Interlocked.CompareExchange(ref _probe, null, probe);
                throw;
            }
            if (scheme == Undecided) Interlocked.CompareExchange(ref _probe, null, probe);
            switch (scheme)
            {
                case Https:
                    Decide(Https, TlsNote);
                    return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                case Http:
                    Decide(Http, null);
                    ToHttp(request);
                    return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
        }
        var httpsUri = request.RequestUri!;
        ToHttp(request);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse
                                             && RegistryRequest.TryResetContent(request))
        {
            // The server took the connection and then said nothing an HTTP client understands: it waits for a TLS handshake.
            return await SwitchToHttpsAsync(request, httpsUri, cancellationToken).ConfigureAwait(false);
        }
        if (response.StatusCode == HttpStatusCode.BadRequest && await IsTlsPortAnswerAsync(response, cancellationToken).ConfigureAwait(false)
            && RegistryRequest.TryResetContent(request))
        {
            response.Dispose();
            return await SwitchToHttpsAsync(request, httpsUri, cancellationToken).ConfigureAwait(false);
        }
        Decide(Http, null);
        return response;
    }

    /// <summary>
    /// <c>GET /v2/</c> over plain HTTP, unauthenticated, whose answer has a body to read: Http, Https, or Undecided when
    /// it failed otherwise (then the request itself goes as without a probe, and reports its own failure).
    /// </summary>
    private async Task<int> ProbeAsync(Uri httpsUri, CancellationToken cancellationToken)
    {
        using var probe = new HttpRequestMessage(HttpMethod.Get, new Uri(httpsUri, "/v2/"));
        probe.Options.Set(RegistryRequest.Unauthenticated, true);
        ToHttp(probe);
        try
        {
            using var response = await base.SendAsync(probe, cancellationToken).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.BadRequest && await IsTlsPortAnswerAsync(response, cancellationToken).ConfigureAwait(false) ? Https : Http;
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse)
        {
            return Https;
        }
        catch (HttpRequestException)
        {
            return Undecided;
        }
    }

    private string TlsNote => $"Registry '{endpoint.Registry}' speaks TLS; using HTTPS without checking its certificate (it is on this machine).";

    private Task<HttpResponseMessage> SwitchToHttpsAsync(HttpRequestMessage request, Uri httpsUri, CancellationToken cancellationToken)
    {
        Decide(Https, TlsNote);
        request.RequestUri = httpsUri;
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// A TLS server's answer to plain HTTP: Go's "Client sent an HTTP request to an HTTPS server", nginx's "The plain
    /// HTTP request was sent to HTTPS port". A registry's own 400s are JSON error documents and never say this.
    /// </summary>
    private static async Task<bool> IsTlsPortAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return false;
        }
        return body.Contains("HTTPS server", StringComparison.OrdinalIgnoreCase) || body.Contains("HTTPS port", StringComparison.OrdinalIgnoreCase);
    }

    private void Decide(int scheme, string? note)
    {
        Interlocked.CompareExchange(ref _scheme, scheme, Undecided);
        if (note is not null && Interlocked.Exchange(ref _noted, 1) == 0) log.Detail(note);
    }

    private static void ToHttp(HttpRequestMessage request)
    {
        var uri = request.RequestUri!;
        if (uri.Scheme != Uri.UriSchemeHttps) return;
        var builder = new UriBuilder(uri) { Scheme = Uri.UriSchemeHttp, Port = uri.IsDefaultPort ? -1 : uri.Port };
        request.RequestUri = builder.Uri;
    }
}
