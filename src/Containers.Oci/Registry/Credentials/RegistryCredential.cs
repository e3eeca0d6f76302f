namespace Containers.Oci.Registry.Credentials;

/// <summary>What a registry request is for: credential sources may hold different credentials for pulling and pushing.</summary>
public enum RegistryAccess
{
    Pull,
    Push,
}

/// <summary>
/// A user name and password, or an identity (OAuth2 refresh) token, for one registry, and the place it came from.
/// <see cref="ToString"/> names the source and the user only: a secret must never reach a log or an error message.
/// </summary>
public sealed class RegistryCredential
{
    private RegistryCredential(string? username, string? password, string? identityToken, string source)
    {
        Username = username;
        Password = password;
        IdentityToken = identityToken;
        Source = source;
    }

    public static RegistryCredential FromPassword(string username, string password, string source)
        => new(username, password, null, source);

    /// <param name="username">Some stores keep a user name beside the token; it is only shown, never sent.</param>
    public static RegistryCredential FromIdentityToken(string identityToken, string source, string? username = null)
        => new(string.IsNullOrEmpty(username) || username == CredentialHelper.TokenUsername ? null : username, null, identityToken, source);

    public string? Username { get; }

    public string? Password { get; }

    /// <summary>A refresh token (Docker's <c>identitytoken</c>): exchanged for access tokens with an OAuth2 POST.</summary>
    public string? IdentityToken { get; }

    /// <summary>Where it came from, e.g. <c>environment variables DOTNET_CONTAINER_PUSH_REGISTRY_UNAME/PWORD</c>.</summary>
    public string Source { get; }

    public bool HasPassword => !string.IsNullOrEmpty(Username) && Password is not null && IdentityToken is null;

    /// <summary>"user 'alice' from ~/.docker/config.json": for logs and errors.</summary>
    public override string ToString()
        => IdentityToken is null ? $"user '{Username}' from {Source}"
            : Username is null ? $"an identity token from {Source}" : $"an identity token of user '{Username}' from {Source}";
}
