using Containers.Oci.Registry.Auth;
using Containers.Oci.Registry.Handlers;

namespace Containers.Oci.Registry;

/// <summary>
/// The HTTP side shared by every registry operation: one HttpClient over a chain of small handlers, and the API's URLs.
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="primaryHandler">The handler that does the I/O; tests pass a fake. Null uses sockets.</param>
    /// <param name="time">The clock tokens expire by; tests pass their own.</param>
    public RegistryTransport(string registry, RegistryClientOptions options, HttpMessageHandler? primaryHandler = null, TimeProvider? time = null)
    {
        Settings = RegistrySettings.Resolve(options);
        Endpoint = RegistryEndpoint.For(registry, Settings.IsInsecureRegistry(registry));
        Trust = new TlsTrust(Settings.IsInsecureHost, Settings.TrustedCertificates);
        var primary = primaryHandler ?? CreateSocketsHandler(Settings.Timeouts, Trust);

        // Token requests go to another service (the realm): retried, named, but neither authenticated nor redirected by the registry's rules.
        var tokenChain = new RetryHandler(Registry, Settings.Retry, Settings.Timeouts, Settings.Log) { InnerHandler = new UserAgentHandler { InnerHandler = primary } };
        var tokens = new BearerTokens(new HttpMessageInvoker(tokenChain, disposeHandler: false), Registry, Settings.Credentials.Description, Settings.MayCarryCredentials, time ?? TimeProvider.System);

        _http = new HttpClient(CreateHandlerChain(primary, tokens), disposeHandler: true)
        {
            // Timeouts are per attempt and per kind of request (see RetryHandler); one overall timeout would cut large uploads.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public RegistryEndpoint Endpoint { get; }

    public RegistrySettings Settings { get; }

    public RegistryClientOptions Options => Settings.Options;

    public string Registry => Endpoint.Registry;

    internal TlsTrust Trust { get; }

    /// <summary>An API URL such as <c>v2/&lt;repository&gt;/manifests/&lt;reference&gt;</c>, relative to the endpoint.</summary>
    public Uri Api(string path) => new(Endpoint.BaseUri, "v2/" + path);

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
        => _http.SendAsync(request, completion, cancellationToken);

    public void Dispose() => _http.Dispose();

    // Outermost first. Failures are translated once, at the top; each retry goes through the scheme choice and
    // authentication again; the auth handler sees the final URL, and redirects are followed below it.
    private HttpMessageHandler CreateHandlerChain(HttpMessageHandler primary, BearerTokens tokens)
        => new TransportFailureHandler(Registry, Trust, Settings.Timeouts)
        {
            InnerHandler = new RetryHandler(Registry, Settings.Retry, Settings.Timeouts, Settings.Log)
            {
                InnerHandler = new SchemeFallbackHandler(Endpoint, Settings.Log)
                {
                    InnerHandler = new AuthHandler(Endpoint, Settings, tokens)
                    {
                        InnerHandler = new RedirectHandler { InnerHandler = new UserAgentHandler { InnerHandler = primary } },
                    },
                },
            },
        };

    private static SocketsHttpHandler CreateSocketsHandler(RegistryTimeouts timeouts, TlsTrust trust) => new()
    {
        ConnectTimeout = timeouts.Connect,
        ConnectCallback = PlainHttpAnswerDetector.ConnectAsync,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        AllowAutoRedirect = false,
        // Kept for the client's life and sent back: Harbor refuses writes without the CSRF cookie its first answer set.
        UseCookies = true,
        CookieContainer = new System.Net.CookieContainer(),
        SslOptions = { RemoteCertificateValidationCallback = trust.Validate },
    };
}
