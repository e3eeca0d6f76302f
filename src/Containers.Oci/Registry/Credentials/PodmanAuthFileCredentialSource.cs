namespace Containers.Oci.Registry.Credentials;

/// <summary>
/// Podman's (containers-auth.json) files: <c>REGISTRY_AUTH_FILE</c> alone when set, else
/// <c>$XDG_RUNTIME_DIR/containers/auth.json</c>, then <c>~/.config/containers/auth.json</c>. The first file with an
/// entry for the registry wins.
/// </summary>
public sealed class PodmanAuthFileCredentialSource(IReadOnlyDictionary<string, string> environment) : ICredentialSource
{
    public IReadOnlyList<string> Paths { get; } = PathsOf(environment);

    public string Description => Paths.Count == 0 ? "Podman's auth.json (no REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR or home folder)" : $"Podman's auth files {string.Join(", ", Paths)}";

    public async Task<RegistryCredential?> FindAsync(string registry, RegistryAccess access, CancellationToken cancellationToken)
    {
        foreach (var path in Paths)
        {
            if (AuthFile.Load(path) is not { } file) continue;
            if (await DockerConfigCredentialSource.FindInAsync(file, registry, environment, cancellationToken).ConfigureAwait(false) is { } credential) return credential;
        }
        return null;
    }

    private static List<string> PathsOf(IReadOnlyDictionary<string, string> environment)
    {
        if (environment.TryGetValue("REGISTRY_AUTH_FILE", out var explicitFile) && explicitFile.Length > 0) return [explicitFile];
        var paths = new List<string>();
        if (environment.TryGetValue("XDG_RUNTIME_DIR", out var runtime) && runtime.Length > 0) paths.Add(Path.Combine(runtime, "containers", "auth.json"));
        if (RegistryEnvironment.HomeDirectory(environment) is { } home) paths.Add(Path.Combine(home, ".config", "containers", "auth.json"));
        return paths;
    }
}
