namespace Containers.Oci.Registry;

/// <summary>
/// What the handlers need to know about a request beyond HTTP: the token scopes it needs, how to recreate its body
/// (a stream can be sent only once, but authentication, retries and redirects may send a request again), and whether
/// the retry handler may repeat it. Carried in <see cref="HttpRequestMessage.Options"/>.
/// </summary>
internal static class RegistryRequest
{
    public static readonly HttpRequestOptionsKey<IReadOnlyList<string>> Scopes = new("Containers.Registry.Scopes");
    public static readonly HttpRequestOptionsKey<Func<HttpContent>> ContentFactory = new("Containers.Registry.ContentFactory");
    public static readonly HttpRequestOptionsKey<bool> NoRetry = new("Containers.Registry.NoRetry");

    /// <summary>A request of the transport's own (the scheme probe) that the auth handler leaves alone.</summary>
    public static readonly HttpRequestOptionsKey<bool> Unauthenticated = new("Containers.Registry.Unauthenticated");

    /// <summary>Set by the auth handler on 401/403: which credential was sent, or where none was found. Never a secret.</summary>
    public static readonly HttpRequestOptionsKey<string> CredentialNote = new("Containers.Registry.CredentialNote");

    /// <param name="scopes">Token scopes, e.g. <see cref="RegistryScope.Pull"/>; none for the ping.</param>
    /// <param name="content">Makes the body; called once now and once more for each resend.</param>
    /// <param name="retry">False when the caller handles failures itself (an upload resumes rather than repeats).</param>
    public static HttpRequestMessage Create(HttpMethod method, Uri uri, IReadOnlyList<string> scopes, Func<HttpContent>? content = null, bool retry = true)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Options.Set(Scopes, scopes);
        if (content is not null)
        {
            request.Content = content();
            request.Options.Set(ContentFactory, content);
        }
        if (!retry) request.Options.Set(NoRetry, true);
        return request;
    }

    public static IReadOnlyList<string> ScopesOf(HttpRequestMessage request)
        => request.Options.TryGetValue(Scopes, out var scopes) ? scopes : [];

    public static bool AllowsRetry(HttpRequestMessage request)
        => !(request.Options.TryGetValue(NoRetry, out var noRetry) && noRetry);

    /// <summary>Readies the request to be sent again: a fresh body from its factory. False when it has a body that cannot be recreated.</summary>
    public static bool TryResetContent(HttpRequestMessage request)
    {
        if (request.Content is null) return true;
        if (!request.Options.TryGetValue(ContentFactory, out var factory)) return false;
        var old = request.Content;
        request.Content = factory();
        old.Dispose();
        return true;
    }

    public static string? CredentialNoteOf(HttpRequestMessage? request)
        => request is not null && request.Options.TryGetValue(CredentialNote, out var note) ? note : null;

    /// <summary>"PATCH /v2/app/blobs/uploads/…": the method and path only; the query may hold upload state.</summary>
    public static string Describe(HttpRequestMessage request) => $"{request.Method} {request.RequestUri?.AbsolutePath}";
}
