using System.Net;

namespace Containers.Oci.Registry.Handlers;

/// <summary>
/// Follows redirects (blob downloads often go to a storage host) itself rather than in the socket handler, so the rule
/// is ours and tested: the <c>Authorization</c> header goes only to the host it was meant for, and never to plain HTTP
/// after HTTPS. 303, and 301/302 after a POST, become a GET; 307/308 resend the body from its factory.
/// </summary>
internal sealed class RedirectHandler : DelegatingHandler
{
    private const int MaxRedirects = 10;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        for (var hop = 0; hop < MaxRedirects && IsRedirect(response.StatusCode) && response.Headers.Location is { } location; hop++)
        {
            var next = Follow(request, response.StatusCode, new Uri(request.RequestUri!, location));
            if (next is null) return response;
            response.Dispose();
            request = next;
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        return response;
    }

    private static bool IsRedirect(HttpStatusCode status)
        => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>The request to send to <paramref name="target"/>, or null when it cannot be followed (a body we cannot recreate).</summary>
    internal static HttpRequestMessage? Follow(HttpRequestMessage request, HttpStatusCode status, Uri target)
    {
        var toGet = status == HttpStatusCode.SeeOther
                    || (status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found && request.Method == HttpMethod.Post);
        var method = toGet && request.Method != HttpMethod.Head ? HttpMethod.Get : request.Method;
        var next = new HttpRequestMessage(method, target) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        if (!toGet && request.Content is not null)
        {
            if (!request.Options.TryGetValue(RegistryRequest.ContentFactory, out var factory))
            {
                next.Dispose();
                return null;
            }
            next.Content = factory();
        }
        var source = request.RequestUri!;
        var keepAuthorization = source.Scheme == target.Scheme && string.Equals(source.Authority, target.Authority, StringComparison.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            if (header.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && !keepAuthorization) continue;
            next.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        foreach (var option in request.Options) ((IDictionary<string, object?>)next.Options)[option.Key] = option.Value;
        return next;
    }
}
