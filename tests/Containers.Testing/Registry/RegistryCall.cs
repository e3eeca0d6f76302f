namespace Containers.Testing.Registry;

/// <summary>A request as the endpoints see it: routed, its query parsed and its body already read.</summary>
internal sealed record RegistryCall(string Method, string Path, DistributionRoute Route, IReadOnlyList<KeyValuePair<string, string>> Query, byte[] Body,
    string? ContentType, string? ContentRange, string? Authorization, string Host)
{
    public static RegistryCall From(HttpRequestMessage request, byte[] body)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URL.", nameof(request));
        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        string? range = request.Content is not null && request.Content.Headers.NonValidated.TryGetValues("Content-Range", out var values) ? values.FirstOrDefault() : null;
        return new RegistryCall(request.Method.Method, path, DistributionRoute.Parse(path), ParseQuery(uri.Query), body,
            request.Content?.Headers.ContentType?.MediaType, range, request.Headers.Authorization?.ToString(), uri.Authority);
    }

    /// <summary>The last value of a query parameter, or null.</summary>
    public string? QueryValue(string name) => QueryValues(name).LastOrDefault();

    /// <summary>Every value of a parameter that may repeat (a token request's <c>scope</c>).</summary>
    public IEnumerable<string> QueryValues(string name) => Query.Where(p => p.Key == name).Select(p => p.Value);

    public bool IsRead => Method is "GET" or "HEAD";

    // Names and values unescaped (a digest arrives as sha256%3A…), in order, repeats kept.
    private static List<KeyValuePair<string, string>> ParseQuery(string query)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            result.Add(KeyValuePair.Create(name, equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '))));
        }
        return result;
    }
}
