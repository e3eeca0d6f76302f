using Containers.Oci.Registry.Handlers;

namespace Containers.Oci.Registry;

/// <summary>
/// The HTTP side shared by every registry operation: one HttpClient over a chain of handlers, and the API's URLs.
/// Later handlers (authentication, retries) slot into <see cref="CreateHandlerChain"/>.
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    private readonly HttpClient _http;

    public RegistryTransport(RegistryEndpoint endpoint, RegistryClientOptions options, HttpMessageHandler? primaryHandler = null)
    {
        Endpoint = endpoint;
        Options = options;
        _http = new HttpClient(CreateHandlerChain(endpoint, options, primaryHandler ?? CreateSocketsHandler(options)))
        {
            // Timeouts are per kind of request (see TransportFailureHandler); one overall timeout would cut large uploads.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public RegistryEndpoint Endpoint { get; }

    public RegistryClientOptions Options { get; }

    public string Registry => Endpoint.Registry;

    /// <summary>An API URL such as <c>v2/&lt;repository&gt;/manifests/&lt;reference&gt;</c>, relative to the endpoint.</summary>
    public Uri Api(string path) => new(Endpoint.BaseUri, "v2/" + path);

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
        => _http.SendAsync(request, completion, cancellationToken);

    public void Dispose() => _http.Dispose();

    // Outermost first: failures of anything below are translated once, at the top.
    private static HttpMessageHandler CreateHandlerChain(RegistryEndpoint endpoint, RegistryClientOptions options, HttpMessageHandler primary)
        => new TransportFailureHandler(endpoint.Registry, options.ResponseTimeout)
        {
            InnerHandler = new UserAgentHandler { InnerHandler = primary },
        };

    private static SocketsHttpHandler CreateSocketsHandler(RegistryClientOptions options) => new()
    {
        ConnectTimeout = options.ConnectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.None,
    };
}
