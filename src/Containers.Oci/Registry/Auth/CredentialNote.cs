using Containers.Oci.Registry.Credentials;

namespace Containers.Oci.Registry.Auth;

/// <summary>The part of an access-denied error that says which credential was tried, or where none was found.</summary>
internal static class CredentialNote
{
    /// <param name="lookedIn">The sources searched, when nothing was found; null if unknown.</param>
    public static string For(RegistryCredential? credential, string? lookedIn)
        => credential is not null
            ? $"the credentials sent were those of {credential}"
            : lookedIn is null ? "no credentials were sent" : $"no credentials were found for it (looked in {lookedIn})";
}
