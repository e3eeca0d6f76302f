using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Containers.Oci.Diagnostics;
using Containers.Oci.Errors;
using Containers.Oci.Registry.Credentials;

namespace Containers.Oci.Registry.Auth;

/// <summary>
/// Authenticates requests to one registry. The first 401 teaches it the registry's challenge (Basic, or Bearer with a
/// realm); from then on requests carry credentials or a token up front, and a 401 is answered once more with a fresh
/// token. Credentials are looked up once per kind of access and never sent over plain HTTP to another machine unless
/// allowed. Only requests to the registry's own host are touched; the redirect handler below drops the header across hosts.
/// </summary>
internal sealed class AuthHandler(RegistryEndpoint endpoint, RegistrySettings settings, BearerTokens tokens) : DelegatingHandler
{
    private readonly ConcurrentDictionary<RegistryAccess, Lazy<Task<RegistryCredential?>>> _credentials = new();
    private volatile AuthChallenge? _challenge;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!endpoint.IsRegistryHost(request.RequestUri) || request.Options.TryGetValue(RegistryRequest.Unauthenticated, out var bare) && bare)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var scopes = RegistryScope.Merge(RegistryRequest.ScopesOf(request));
        var access = RegistryScope.IncludesPush(scopes) ? RegistryAccess.Push : RegistryAccess.Pull;
        var sent = await AuthorizeAsync(request, _challenge, scopes, access, refresh: false, cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return await NotedAsync(request, response, access, cancellationToken).ConfigureAwait(false);

        var challenge = AuthChallenge.Choose(response);
        if (challenge is null) return await UnusableAsync(request, response, access, cancellationToken).ConfigureAwait(false);
        _challenge = challenge;

        var credential = await CredentialAsync(access, cancellationToken).ConfigureAwait(false);
        // Basic has nothing new to offer when the same credentials were just refused, or there are none.
        var worthRetrying = challenge.IsBearer || (credential is { HasPassword: true } && sent != Sent.Basic);
        if (!worthRetrying || !RegistryRequest.TryResetContent(request)) return await NotedAsync(request, response, access, cancellationToken).ConfigureAwait(false);

        response.Dispose();
        var retryScopes = challenge.Scope is { } asked ? RegistryScope.Merge([.. scopes, asked]) : scopes;
        await AuthorizeAsync(request, challenge, retryScopes, access, refresh: sent == Sent.Token, cancellationToken).ConfigureAwait(false);
        response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await NotedAsync(request, response, access, cancellationToken).ConfigureAwait(false);
    }

    private enum Sent { Nothing, Basic, Token }

    private async Task<Sent> AuthorizeAsync(HttpRequestMessage request, AuthChallenge? challenge, IReadOnlyList<string> scopes, RegistryAccess access, bool refresh, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = null;
        if (challenge is null) return Sent.Nothing;
        var credential = await CredentialAsync(access, cancellationToken).ConfigureAwait(false);
        if (challenge.IsBasic)
        {
            if (credential is not { HasPassword: true }) return Sent.Nothing;
            GuardPlainHttp(request.RequestUri!);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));
            return Sent.Basic;
        }
        // A token got with credentials is as good as them to whoever reads it off the wire; an anonymous one is not.
        if (credential is not null) GuardPlainHttp(request.RequestUri!);
        var token = await tokens.GetAsync(challenge, scopes, credential, refresh, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Sent.Token;
    }

    private void GuardPlainHttp(Uri uri)
    {
        if (!settings.MayCarryCredentials(uri)) throw ErrorCatalogue.CredentialsOverPlainHttp.ToException(endpoint.Registry, $"http://{uri.Authority}");
    }

    private Task<RegistryCredential?> CredentialAsync(RegistryAccess access, CancellationToken cancellationToken)
        => _credentials.GetOrAdd(access, a => new Lazy<Task<RegistryCredential?>>(() => LookUpAsync(a))).Value;

    // Not cancelled with the first request that asks: the answer is shared by all. A helper is bounded by its own timeout.
    private async Task<RegistryCredential?> LookUpAsync(RegistryAccess access)
    {
        var credential = await settings.Credentials.FindAsync(endpoint.Registry, access, CancellationToken.None).ConfigureAwait(false);
        settings.Log.Detail(credential is null
            ? $"Registry '{endpoint.Registry}' asks for credentials; none found for {access.ToString().ToLowerInvariant()} (looked in {settings.Credentials.Description})."
            : $"Registry '{endpoint.Registry}': using {credential} to {access.ToString().ToLowerInvariant()}.");
        return credential;
    }

    /// <summary>A 401 whose challenge we cannot answer: the error says what was wrong with it, and whether credentials were there.</summary>
    private async Task<HttpResponseMessage> UnusableAsync(HttpRequestMessage request, HttpResponseMessage response, RegistryAccess access, CancellationToken cancellationToken)
    {
        var why = AuthChallenge.WhyUnusable(response);
        var credential = await CredentialAsync(access, cancellationToken).ConfigureAwait(false);
        var note = credential is null ? $"no credentials were sent: {why}" : $"{credential} was found but not sent: {why}";
        request.Options.Set(RegistryRequest.CredentialNote, note);
        response.RequestMessage?.Options.Set(RegistryRequest.CredentialNote, note);
        return response;
    }

    /// <summary>On 401 or 403, records which credential was tried, for the error the operation will raise.</summary>
    private async Task<HttpResponseMessage> NotedAsync(HttpRequestMessage request, HttpResponseMessage response, RegistryAccess access, CancellationToken cancellationToken)
    {
        if (RegistryFailure.IsAccessDenied(response.StatusCode))
        {
            var credential = _challenge is null ? null : await CredentialAsync(access, cancellationToken).ConfigureAwait(false);
            var note = CredentialNote.For(credential, _challenge is null ? null : settings.Credentials.Description);
            request.Options.Set(RegistryRequest.CredentialNote, note);
            response.RequestMessage?.Options.Set(RegistryRequest.CredentialNote, note);
        }
        return response;
    }
}
