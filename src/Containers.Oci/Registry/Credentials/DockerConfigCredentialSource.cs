namespace Containers.Oci.Registry.Credentials;

/// <summary>
/// Docker's <c>config.json</c> (in <c>DOCKER_CONFIG</c>, else <c>~/.docker</c>). For a registry it uses, in order:
/// its <c>credHelpers</c> entry, an <c>auths</c> entry holding a secret, then the <c>credsStore</c> helper.
/// </summary>
public sealed class DockerConfigCredentialSource(IReadOnlyDictionary<string, string> environment) : ICredentialSource
{
    public string? ConfigPath { get; } = PathOf(environment);

    public string Description => ConfigPath is null ? "Docker's config.json (no DOCKER_CONFIG or home folder)" : $"Docker's config {ConfigPath}";

    public async Task<RegistryCredential?> FindAsync(string registry, RegistryAccess access, CancellationToken cancellationToken)
    {
        if (ConfigPath is null || AuthFile.Load(ConfigPath) is not { } file) return null;
        return await FindInAsync(file, registry, environment, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The lookup both Docker's and Podman's files share.</summary>
    internal static async Task<RegistryCredential?> FindInAsync(AuthFile file, string registry, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        if (file.HelperFor(registry) is { } helper)
        {
            return await CredentialHelper.GetAsync(helper, registry, $"{file.Path} (credHelpers)", environment, cancellationToken).ConfigureAwait(false);
        }
        if (file.CredentialFor(registry) is { } credential) return credential;
        if (file.CredsStore is { } store)
        {
            return await CredentialHelper.GetAsync(store, registry, $"{file.Path} (credsStore)", environment, cancellationToken).ConfigureAwait(false);
        }
        return null;
    }

    private static string? PathOf(IReadOnlyDictionary<string, string> environment)
    {
        if (environment.TryGetValue("DOCKER_CONFIG", out var folder) && folder.Length > 0) return Path.Combine(folder, "config.json");
        return RegistryEnvironment.HomeDirectory(environment) is { } home ? Path.Combine(home, ".docker", "config.json") : null;
    }
}
