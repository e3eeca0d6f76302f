namespace Containers.Oci.Registry.Credentials;

/// <summary>
/// Credentials in environment variables, as the SDK's built-in reads them: <c>DOTNET_CONTAINER_PUSH_REGISTRY_*</c> for
/// pushes and <c>DOTNET_CONTAINER_PULL_REGISTRY_*</c> for pulls first, then <c>DOTNET_CONTAINER_REGISTRY_*</c>, then the
/// legacy <c>SDK_CONTAINER_REGISTRY_*</c>; each a <c>_UNAME</c> and <c>_PWORD</c> pair. They apply to whichever registry
/// is pushed to (or pulled from), so a push and a pull on different registries may use different pairs.
/// </summary>
public sealed class EnvironmentCredentialSource(IReadOnlyDictionary<string, string> environment) : ICredentialSource
{
    public const string PushPrefix = "DOTNET_CONTAINER_PUSH_REGISTRY";
    public const string PullPrefix = "DOTNET_CONTAINER_PULL_REGISTRY";
    public const string GeneralPrefix = "DOTNET_CONTAINER_REGISTRY";
    public const string LegacyPrefix = "SDK_CONTAINER_REGISTRY";

    public string Description => $"environment variables {PushPrefix}_UNAME/PWORD, {PullPrefix}_UNAME/PWORD, {GeneralPrefix}_UNAME/PWORD and {LegacyPrefix}_UNAME/PWORD";

    public Task<RegistryCredential?> FindAsync(string registry, RegistryAccess access, CancellationToken cancellationToken)
    {
        string[] prefixes = access == RegistryAccess.Push ? [PushPrefix, GeneralPrefix, LegacyPrefix] : [PullPrefix, GeneralPrefix, LegacyPrefix];
        foreach (var prefix in prefixes)
        {
            // A pair is used only when both halves are set: a lone user name is more likely a leftover than a login.
            if (Value(prefix + "_UNAME") is { } user && Value(prefix + "_PWORD") is { } password)
            {
                return Task.FromResult<RegistryCredential?>(RegistryCredential.FromPassword(user, password, $"environment variables {prefix}_UNAME/PWORD"));
            }
        }
        return Task.FromResult<RegistryCredential?>(null);
    }

    private string? Value(string name) => environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
