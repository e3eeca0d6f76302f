namespace Containers.Oci.Registry.Credentials;

/// <summary>Asks its sources in order; the first credential found is used.</summary>
public sealed class CredentialChain(IReadOnlyList<ICredentialSource> sources) : ICredentialSource
{
    public IReadOnlyList<ICredentialSource> Sources { get; } = sources;

    public string Description => string.Join("; ", Sources.Select(s => s.Description));

    /// <summary>
    /// The order users expect from Docker tooling: the environment, then Docker's config (auths, credHelpers,
    /// credsStore), then Podman's auth files.
    /// </summary>
    /// <param name="environment">The variables to read; tests pass their own instead of the process's.</param>
    public static CredentialChain CreateDefault(IReadOnlyDictionary<string, string> environment) => new(
    [
        new EnvironmentCredentialSource(environment),
        new DockerConfigCredentialSource(environment),
        new PodmanAuthFileCredentialSource(environment),
    ]);

    public async Task<RegistryCredential?> FindAsync(string registry, RegistryAccess access, CancellationToken cancellationToken)
    {
        foreach (var source in Sources)
        {
            if (await source.FindAsync(registry, access, cancellationToken).ConfigureAwait(false) is { } credential) return credential;
        }
        return null;
    }
}
