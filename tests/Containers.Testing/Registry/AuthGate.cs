using System.Net;
using System.Text;

namespace Containers.Testing.Registry;

/// <summary>
/// The registry's optional authentication: Basic on every request, or bearer tokens from a token service the registry
/// serves itself at <c>/token</c> (GET with Basic credentials, one <c>scope</c> parameter per repository), granting
/// exactly the scopes asked for. Reads need <c>pull</c>, everything else <c>push</c>.
/// </summary>
internal sealed class AuthGate(InMemoryRegistry registry)
{
    public const string TokenPath = "/token";
    private const string Realm = "InMemoryRegistry";
    private const string Service = "in-memory-registry";
    private readonly Dictionary<string, HashSet<string>> _grants = new(StringComparer.Ordinal);

    /// <summary>The 401 a request gets, or null when it may go on.</summary>
    public HttpResponseMessage? Refuse(RegistryCall call)
    {
        if (registry.RequireBearerAuth is not null) return RefuseWithoutToken(call);
        if (registry.RequireBasicAuth is { } basic && !IsBasic(call.Authorization, basic))
        {
            return Unauthorized($"Basic realm=\"{Realm}\"");
        }
        return null;
    }

    /// <summary><c>GET /token?service=…&amp;scope=…</c>: a token for the scopes, when the Basic credentials are right.</summary>
    public HttpResponseMessage Token(RegistryCall call)
    {
        if (registry.RequireBearerAuth is not { } credential || call.Method != "GET") return DistributionAnswer.PageNotFound();
        if (!IsBasic(call.Authorization, credential)) return Unauthorized($"Basic realm=\"{Realm} token service\"");
        var token = $"token-{_grants.Count + 1}";
        _grants[token] = [.. call.QueryValues("scope").SelectMany(Grants)];
        return DistributionAnswer.Object(HttpStatusCode.OK, new { token, access_token = token, expires_in = 300 }, "application/json");
    }

    private HttpResponseMessage? RefuseWithoutToken(RegistryCall call)
    {
        var granted = call.Authorization is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
            && _grants.TryGetValue(header["Bearer ".Length..], out var grants) ? grants : null;
        var realm = $"https://{call.Host}{TokenPath}";
        if (call.Route.Endpoint == Endpoint.Base)
        {
            return granted is null ? Unauthorized($"Bearer realm=\"{realm}\",service=\"{Service}\"") : null;
        }
        var action = call.IsRead ? "pull" : "push";
        if (granted is not null && granted.Contains($"{call.Route.Repository}:{action}")) return null;
        var actions = call.IsRead ? "pull" : "pull,push";
        return Unauthorized($"Bearer realm=\"{realm}\",service=\"{Service}\",scope=\"repository:{call.Route.Repository}:{actions}\"");
    }

    // "repository:team/app:pull,push" grants "team/app:pull" and "team/app:push".
    private static IEnumerable<string> Grants(string scope)
    {
        var parts = scope.Split(':');
        return parts is ["repository", .. var name, var actions] && name.Length > 0
            ? actions.Split(',').Select(a => $"{string.Join(':', name)}:{a}")
            : [];
    }

    private static bool IsBasic(string? header, NetworkCredential credential)
        => header == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.UserName}:{credential.Password}"));

    private static HttpResponseMessage Unauthorized(string challenge)
        => DistributionAnswer.Error(HttpStatusCode.Unauthorized, "UNAUTHORIZED", "authentication required", null, ("WWW-Authenticate", challenge));
}
