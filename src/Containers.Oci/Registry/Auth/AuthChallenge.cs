using System.Text;
using Containers.Oci.Errors;

namespace Containers.Oci.Registry.Auth;

/// <summary>
/// One challenge of a <c>WWW-Authenticate</c> header (RFC 7235): a scheme and its parameters, e.g.
/// <c>Bearer realm="https://auth.example.com/token",service="registry",scope="repository:app:pull"</c>.
/// A header may hold several challenges, and a response several headers.
/// </summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? Realm => Parameter("realm");

    public string? Service => Parameter("service");

    public string? Scope => Parameter("scope");

    /// <summary>The realm as an absolute http(s) URL; a realm that is anything else is the registry's mistake, CONTAINER5112.</summary>
    public Uri RealmUri(string registry)
    {
        if (Uri.TryCreate(Realm, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)) return uri;
        throw ErrorCatalogue.InvalidTokenRealm.ToException(registry, Shorten(Realm ?? ""));
    }

    /// <summary>Why a 401 cannot be answered, for the error: it names the scheme and parameters, never a value past 100 characters.</summary>
    public static string WhyUnusable(HttpResponseMessage response)
    {
        var challenges = Parse(response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values) ? values : []);
        if (challenges.Count == 0) return "its 401 answer has no WWW-Authenticate challenge saying how to authenticate";
        if (challenges.FirstOrDefault(c => c.IsBearer) is { } bearer) return $"its challenge '{Shorten(bearer.ToString())}' has no realm to ask for a token";
        return $"it asks for {string.Join(", ", challenges.Select(c => $"'{Shorten(c.Scheme)}'"))} authentication, and only Basic and Bearer are supported";
    }

    public override string ToString()
        => Parameters.Count == 0 ? Scheme : $"{Scheme} {string.Join(",", Parameters.Select(p => $"{p.Key}=\"{p.Value}\""))}";

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";

    public string? Parameter(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>The challenge we can answer best: Bearer (with a realm) before Basic; null when there is neither.</summary>
    public static AuthChallenge? Choose(HttpResponseMessage response)
    {
        var challenges = Parse(response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values) ? values : []);
        return challenges.FirstOrDefault(c => c.IsBearer && !string.IsNullOrEmpty(c.Realm)) ?? challenges.FirstOrDefault(c => c.IsBasic);
    }

    public static IReadOnlyList<AuthChallenge> Parse(IEnumerable<string> headerValues)
    {
        var result = new List<AuthChallenge>();
        foreach (var value in headerValues) ParseInto(value, result);
        return result;
    }

    // Items are separated by commas; an item is either "scheme [first-param]" (a new challenge) or "name=value".
    private static void ParseInto(string text, List<AuthChallenge> result)
    {
        Dictionary<string, string>? parameters = null;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] == ',')) i++;
            if (i >= text.Length) break;
            var token = ReadToken(text, ref i);
            if (token.Length == 0)
            {
                i++;   // a stray character: skip it rather than loop
                continue;
            }
            var afterToken = i;
            while (i < text.Length && text[i] == ' ') i++;
            if (i < text.Length && text[i] == '=' && parameters is not null)
            {
                i++;
                while (i < text.Length && text[i] == ' ') i++;
                parameters[token] = i < text.Length && text[i] == '"' ? ReadQuoted(text, ref i) : ReadToken(text, ref i);
            }
            else
            {
                parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                result.Add(new AuthChallenge(token, parameters));
                i = afterToken;
            }
        }
    }

    private static string ReadToken(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not (',' or '=' or '"')) i++;
        return text[start..i];
    }

    private static string ReadQuoted(string text, ref int i)
    {
        var value = new StringBuilder();
        i++;   // the opening quote
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\\' && i + 1 < text.Length) i++;
            value.Append(text[i++]);
        }
        i++;   // the closing quote
        return value.ToString();
    }
}
