using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>
/// A token service for a registry configured with <c>auth.token</c>: issues RS256 JWTs whose header carries the signing
/// certificate (<c>x5c</c>), which the registry trusts through <see cref="CertificateBundlePath"/>. GET with Basic
/// credentials or anonymously; POST with the OAuth2 <c>password</c> or <c>refresh_token</c> grant. Known users get every
/// action they ask for; anonymous callers get none. It keeps every token it issued, so tests can check logs for them.
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    public const string Service = "containers-test-registry";
    public const string Issuer = "containers-test-token-issuer";

    private readonly LoopbackServer _server;
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentDictionary<string, string> _passwords = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _lifetimes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _issued = new();
    private readonly ConcurrentQueue<TokenRequest> _requests = new();

    public TokenServer(string directory)
    {
        var request = new CertificateRequest($"CN={Issuer}", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        CertificateBundlePath = Path.Combine(directory, "token-issuer.pem");
        File.WriteAllText(CertificateBundlePath, _certificate.ExportCertificatePem());
        _server = new LoopbackServer(HandleAsync);
    }

    public string Realm => $"http://127.0.0.1:{_server.Port}/token";

    public string CertificateBundlePath { get; }

    /// <summary>Every access token and refresh token handed out: none may ever appear in a log.</summary>
    public IReadOnlyCollection<string> IssuedSecrets => [.. _issued, .. _refreshTokens.Keys];

    public IReadOnlyCollection<TokenRequest> Requests => _requests.ToArray();

    /// <param name="lifetimeSeconds">The expires_in of this user's tokens.</param>
    public void AddUser(string user, string password, int lifetimeSeconds = 300)
    {
        _passwords[user] = password;
        _lifetimes[user] = lifetimeSeconds;
    }

    /// <summary>An identity token (as <c>docker login</c> stores for OAuth registries) for a known user.</summary>
    public string AddRefreshToken(string user)
    {
        var token = "refresh-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _refreshTokens[token] = user;
        return token;
    }

    private async Task HandleAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var stream = client.GetStream();
        var head = await HttpWire.ReadHeadAsync(stream, cancellationToken);
        if (head is null) return;
        var body = await HttpWire.ReadBodyAsync(stream, head.ContentLength, cancellationToken);
        var (status, answer) = Answer(head, body);
        await HttpWire.WriteResponseAsync(stream, status, status == 200 ? "OK" : "Unauthorized",
            [KeyValuePair.Create("Content-Type", "application/json")], Encoding.UTF8.GetBytes(answer.ToJsonString()), cancellationToken);
    }

    private (int Status, JsonObject Body) Answer(HttpRequestHead head, byte[] body)
    {
        var query = Parse(head.Query);
        string? user = null;
        string grant;
        List<string> scopes;
        if (head.Method == "POST")
        {
            var form = Parse(Encoding.UTF8.GetString(body));
            grant = Single(form, "grant_type") ?? "";
            scopes = (Single(form, "scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            user = grant switch
            {
                "password" when Single(form, "username") is { } name && _passwords.TryGetValue(name, out var expected) && expected == Single(form, "password") => name,
                "refresh_token" when Single(form, "refresh_token") is { } refresh && _refreshTokens.TryGetValue(refresh, out var owner) => owner,
                _ => null,
            };
            _requests.Enqueue(new TokenRequest("POST", grant, scopes));
            if (user is null) return (401, Error("invalid grant"));
        }
        else
        {
            scopes = query.TryGetValue("scope", out var asked) ? asked : [];
            grant = "anonymous";
            if (head.Header("Authorization") is { } authorization && authorization.StartsWith("Basic ", StringComparison.Ordinal))
            {
                grant = "basic";
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..]));
                var colon = pair.IndexOf(':');
                var name = pair[..colon];
                if (!_passwords.TryGetValue(name, out var expected) || expected != pair[(colon + 1)..])
                {
                    _requests.Enqueue(new TokenRequest("GET", grant, scopes));
                    return (401, Error("invalid credentials"));
                }
                user = name;
            }
            _requests.Enqueue(new TokenRequest("GET", grant, scopes));
        }

        var lifetime = user is not null && _lifetimes.TryGetValue(user, out var seconds) ? seconds : 300;
        var token = Issue(user ?? "", user is null ? [] : scopes, lifetime);
        _issued.Enqueue(token);
        return (200, new JsonObject { ["token"] = token, ["access_token"] = token, ["expires_in"] = lifetime, ["issued_at"] = DateTimeOffset.UtcNow.ToString("O") });
    }

    private string Issue(string subject, List<string> scopes, int lifetime)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var access = new JsonArray();
        foreach (var scope in scopes)
        {
            var parts = scope.Split(':');
            if (parts.Length < 3) continue;
            access.Add(new JsonObject
            {
                ["type"] = parts[0],
                ["name"] = string.Join(':', parts[1..^1]),
                ["actions"] = new JsonArray(parts[^1].Split(',').Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
            });
        }
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData)) };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["aud"] = Service,
            ["exp"] = now + lifetime,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var signed = $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64Url(signature)}";
    }

    private static JsonObject Error(string message)
        => new() { ["errors"] = new JsonArray(new JsonObject { ["code"] = "UNAUTHORIZED", ["message"] = message }) };

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Dictionary<string, List<string>> Parse(string text)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            if (!result.TryGetValue(name, out var values)) result[name] = values = [];
            values.Add(value);
        }
        return result;
    }

    private static string? Single(Dictionary<string, List<string>> values, string name) => values.TryGetValue(name, out var list) ? list.FirstOrDefault() : null;

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificate.Dispose();
        _key.Dispose();
    }
}

/// <summary>One request the token server answered: GET (basic or anonymous) or POST (its grant), and the scopes asked.</summary>
public sealed record TokenRequest(string Method, string Grant, IReadOnlyList<string> Scopes);
