using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Containers.Oci.Errors;
using Containers.Oci.Registry.Credentials;

namespace Containers.Oci.Registry.Auth;

/// <summary>
/// Gets bearer tokens from a registry's token service and keeps them, per realm, service, scope set and credential,
/// until shortly before they expire. A user name and password are sent with a GET (Basic), falling back to the OAuth2
/// <c>password</c> grant where the service only takes POSTs; an identity token is exchanged with the
/// <c>refresh_token</c> grant; without credentials the token is anonymous. Parallel requests for the same token share one fetch.
/// </summary>
internal sealed class BearerTokens(HttpMessageInvoker http, string registry, string credentialSources, Func<Uri, bool> mayCarryCredentials, TimeProvider time)
{
    /// <summary>The client id the OAuth2 grants name us by.</summary>
    public const string ClientId = "containers-build";

    // The distribution token spec's default lifetime when a service does not say.
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan MaxEarlyRenewal = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Lazy<Task<Token>>> _tokens = new(StringComparer.Ordinal);

    /// <param name="refresh">Fetch anew even if a cached token looks valid: the registry just refused it.</param>
    public async Task<string> GetAsync(AuthChallenge challenge, IReadOnlyList<string> scopes, RegistryCredential? credential, bool refresh, CancellationToken cancellationToken)
    {
        var realm = challenge.Realm ?? throw new InvalidOperationException("A bearer challenge needs a realm.");
        var key = $"{realm}\n{challenge.Service}\n{string.Join(' ', scopes)}\n{credential?.Source}\n{credential?.Username}";
        while (true)
        {
            var entry = _tokens.GetOrAdd(key, _ => new Lazy<Task<Token>>(() => FetchAsync(challenge, scopes, credential, cancellationToken)));
            Token token;
            try
            {
                token = await entry.Value.ConfigureAwait(false);
            }
            catch
            {
                _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<Token>>>(key, entry));
                throw;
            }
            if (!refresh && token.ExpiresAt > time.GetUtcNow()) return token.Value;
            // Expired or refused: drop this entry (unless another caller already replaced it) and fetch once more.
            _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<Token>>>(key, entry));
            refresh = false;
        }
    }

    private async Task<Token> FetchAsync(AuthChallenge challenge, IReadOnlyList<string> scopes, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        var realm = challenge.RealmUri(registry);
        if (credential is not null && !mayCarryCredentials(realm))
        {
            throw ErrorCatalogue.CredentialsOverPlainHttp.ToException(registry, $"its token service {WithoutQuery(realm)}");
        }

        HttpResponseMessage response;
        if (credential?.IdentityToken is { } refreshToken)
        {
            response = await PostAsync(realm, challenge.Service, scopes, [("grant_type", "refresh_token"), ("refresh_token", refreshToken)], cancellationToken).ConfigureAwait(false);
        }
        else
        {
            response = await GetAsync(realm, challenge.Service, scopes, credential, cancellationToken).ConfigureAwait(false);
            if (credential is { HasPassword: true } && response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
            {
                // Some services (OAuth2 only) take no GET: the password grant carries the same credential.
                response.Dispose();
                response = await PostAsync(realm, challenge.Service, scopes,
                    [("grant_type", "password"), ("username", credential.Username!), ("password", credential.Password!)], cancellationToken).ConfigureAwait(false);
            }
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var answer = await RegistryFailure.DescribeAsync(response, cancellationToken).ConfigureAwait(false);
                if (RegistryFailure.IsAccessDenied(response.StatusCode))
                {
                    throw ErrorCatalogue.RegistryAccessDenied.ToException(string.Join(", ", scopes.Select(RepositoryOf).Where(r => r.Length > 0).Distinct()), registry,
                        $"its token service {WithoutQuery(realm)} answered {answer}", CredentialNote.For(credential, credentialSources));
                }
                throw ErrorCatalogue.TokenRequestFailed.ToException(registry, WithoutQuery(realm), answer);
            }
            return await ReadTokenAsync(response, realm, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<HttpResponseMessage> GetAsync(Uri realm, string? service, IReadOnlyList<string> scopes, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        var query = new List<(string, string)>();
        if (service is not null) query.Add(("service", service));
        query.AddRange(scopes.Select(s => ("scope", s)));
        if (credential is { HasPassword: true }) query.Add(("account", credential.Username!));
        var request = new HttpRequestMessage(HttpMethod.Get, WithQuery(realm, query));
        if (credential is { HasPassword: true })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));
        }
        return SendAsync(request, cancellationToken);
    }

    private Task<HttpResponseMessage> PostAsync(Uri realm, string? service, IReadOnlyList<string> scopes, (string, string)[] grant, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>(grant.Select(g => KeyValuePair.Create(g.Item1, g.Item2)))
        {
            KeyValuePair.Create("client_id", ClientId),
            KeyValuePair.Create("access_type", "offline"),
        };
        if (service is not null) form.Add(KeyValuePair.Create("service", service));
        if (scopes.Count > 0) form.Add(KeyValuePair.Create("scope", string.Join(' ', scopes)));
        var request = new HttpRequestMessage(HttpMethod.Post, realm);
        request.Options.Set(RegistryRequest.ContentFactory, () => new FormUrlEncodedContent(form));
        request.Content = new FormUrlEncodedContent(form);
        return SendAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw ErrorCatalogue.TokenRequestFailed.ToException(e, registry, WithoutQuery(request.RequestUri!), Handlers.TransportFailureHandler.Describe(e));
        }
    }

    private async Task<Token> ReadTokenAsync(HttpResponseMessage response, Uri realm, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var value = String(root, "token") ?? String(root, "access_token")
                ?? throw ErrorCatalogue.TokenRequestFailed.ToException(registry, WithoutQuery(realm), "its answer has no token");
            var lifetime = root.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds) : DefaultLifetime;
            // Renew a little early, so a token does not expire between our check and the registry's.
            var margin = TimeSpan.FromTicks(Math.Min(MaxEarlyRenewal.Ticks, lifetime.Ticks / 10));
            return new Token(value, time.GetUtcNow() + lifetime - margin);
        }
        catch (JsonException)
        {
            throw ErrorCatalogue.TokenRequestFailed.ToException(registry, WithoutQuery(realm), "its answer is not JSON");
        }
    }

    private static string? String(JsonElement root, string name)
        => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;

    private static string RepositoryOf(string scope)
    {
        var parts = scope.Split(':');
        return parts.Length >= 3 && parts[0] == "repository" ? string.Join(':', parts[1..^1]) : "";
    }

    private static Uri WithQuery(Uri realm, List<(string Name, string Value)> query)
    {
        if (query.Count == 0) return realm;
        var builder = new UriBuilder(realm);
        var pairs = string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Name)}={Uri.EscapeDataString(q.Value)}"));
        var existing = builder.Query.TrimStart('?');
        builder.Query = existing.Length == 0 ? pairs : existing + "&" + pairs;
        return builder.Uri;
    }

    private static string WithoutQuery(Uri uri) => uri.GetLeftPart(UriPartial.Path);

    private sealed record Token(string Value, DateTimeOffset ExpiresAt);
}
