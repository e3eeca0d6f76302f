using System.Net;
using System.Text.RegularExpressions;
using Containers.Oci.Registry;

namespace Containers.Testing.Registry;

/// <summary>
/// The OCI distribution API in memory, as an <see cref="HttpMessageHandler"/> to put under the real registry client:
/// ping, blobs, uploads (monolithic, chunked, mounted), manifests, tags, and optionally the referrers API and
/// authentication. One instance is one registry, whatever host it is reached as. It records every request in order
/// (see <see cref="Requests"/>) and exposes what it holds, so tests assert on outcomes rather than on mocks.
/// <para>
/// Thread-safe: bodies are read in parallel, then each request is answered and recorded under one lock, before the
/// client sees the answer; so when a client call returns, every request it made is in <see cref="Requests"/>.
/// </para>
/// <para>
/// Disposing it does nothing: a registry outlives the clients that talk to it, and each client disposes its handler
/// chain (and so this) with itself. It holds only memory. Pass it to several clients with <see cref="ClientOptions"/>.
/// </para>
/// </summary>
public sealed partial class InMemoryRegistry : HttpMessageHandler
{
    private readonly Lock _gate = new();
    private readonly RegistryState _state = new();
    private readonly List<ReceivedRequest> _requests = [];
    private readonly AuthGate _auth;
    private readonly BlobEndpoint _blobs;
    private readonly UploadEndpoint _uploads;
    private readonly ManifestEndpoint _manifests;
    private readonly ListingEndpoints _listings;
    private int _sequence;

    public InMemoryRegistry()
    {
        _auth = new AuthGate(this);
        _blobs = new BlobEndpoint(_state);
        _uploads = new UploadEndpoint(_state, this);
        _manifests = new ManifestEndpoint(_state, this);
        _listings = new ListingEndpoints(_state, this);
    }

    /// <summary>Cross-repository mounts are declined (202: an upload session instead), as some registries do.</summary>
    public bool RefuseMounts { get; set; }

    /// <summary>PATCH is refused (405 UNSUPPORTED): only monolithic uploads (POST or PUT with the whole blob) work.</summary>
    public bool RefuseChunkedUploads { get; set; }

    /// <summary>
    /// The smallest chunk taken, advertised as <c>OCI-Chunk-Min-Length</c> when a session opens; only the last chunk may
    /// be smaller (a chunk after a short one is 416). 0: any size.
    /// </summary>
    public long MinimumChunkSize { get; set; }

    /// <summary>Serves <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c> (OCI 1.1). Off: 404, like Distribution 2.8.</summary>
    public bool ReferrersApi { get; set; }

    /// <summary>When set, every request needs these Basic credentials (else 401 with a Basic challenge).</summary>
    public NetworkCredential? RequireBasicAuth { get; set; }

    /// <summary>
    /// When set, every request needs a bearer token from this registry's own token service (<c>https://&lt;host&gt;/token</c>),
    /// which hands them out for these Basic credentials. Takes precedence over <see cref="RequireBasicAuth"/>.
    /// </summary>
    public NetworkCredential? RequireBearerAuth { get; set; }

    /// <summary>When set, tag lists come in pages of this size even when the client asks for none, with a next-page Link header.</summary>
    public int? TagPageSize { get; set; }

    /// <summary>
    /// Client options whose clients talk to this registry, for every host. Null <paramref name="options"/>: no retries
    /// and an empty environment, so the machine's variables and credential files stay out of the test.
    /// </summary>
    public RegistryClientOptions ClientOptions(RegistryClientOptions? options = null)
        => (options ?? new RegistryClientOptions { MaxRetries = 0, Environment = new Dictionary<string, string>() }) with { HttpHandlerFactory = _ => this };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var call = RegistryCall.From(request, body);
        HttpResponseMessage response;
        lock (_gate)
        {
            response = Answer(call);
            _requests.Add(Record(sequence, request, call, (int)response.StatusCode));
        }
        response.RequestMessage = request;
        return response;
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        => SendAsync(request, cancellationToken).GetAwaiter().GetResult();

    // Deliberately empty: see the class summary.
    protected override void Dispose(bool disposing)
    {
    }

    private HttpResponseMessage Answer(RegistryCall call)
    {
        if (call.Path == AuthGate.TokenPath) return _auth.Token(call);
        var route = call.Route;
        if (route.Endpoint == Endpoint.None)
        {
            return EndpointPattern().IsMatch(call.Path) ? Errors.NameInvalid(call.Path) : DistributionAnswer.PageNotFound();
        }
        if (_auth.Refuse(call) is { } refused) return refused;
        return route.Endpoint switch
        {
            Endpoint.Base when call.IsRead => DistributionAnswer.Bytes(HttpStatusCode.OK, "{}"u8.ToArray(), "application/json",
                ("Docker-Distribution-API-Version", "registry/2.0")),
            Endpoint.Blob => _blobs.Answer(call),
            Endpoint.UploadStart => _uploads.Start(call),
            Endpoint.Upload => _uploads.Continue(call),
            Endpoint.Manifest => _manifests.Answer(call),
            Endpoint.Tags => _listings.Tags(call),
            Endpoint.Referrers => _listings.Referrers(call),
            _ => Errors.Unsupported(call),
        };
    }

    private static readonly string[] RecordedHeaders = ["Accept", "Content-Type", "Content-Range", "Content-Length"];

    private static ReceivedRequest Record(int sequence, HttpRequestMessage request, RegistryCall call, int status)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in RecordedHeaders)
        {
            var values = request.Headers.NonValidated.TryGetValues(name, out var h) ? h
                : request.Content is not null && request.Content.Headers.NonValidated.TryGetValues(name, out var c) ? c : default;
            if (values.Count > 0) headers[name] = string.Join(", ", values);
        }
        if (request.Headers.Authorization is { } authorization) headers["Authorization"] = authorization.Scheme;
        var uri = request.RequestUri!;
        return new ReceivedRequest(sequence, call.Method, uri.Scheme, uri.Authority, call.Path, uri.Query.TrimStart('?'), headers, call.Body.Length, status);
    }

    // A path that names an endpoint, but with a repository name outside the grammar (upper case, say).
    [GeneratedRegex("^/v2/.+/(?:blobs|manifests|tags|referrers)/")]
    private static partial Regex EndpointPattern();
}
