using Containers.Oci.Names;

namespace Containers.Oci.Registry.Credentials;

/// <summary>
/// How auth files name registries. Keys may carry a scheme and a path (<c>https://index.docker.io/v1/</c>,
/// <c>http://myregistry:5000/v2/</c>); Docker Hub alone has four names. Comparing normalised keys finds them all.
/// </summary>
internal static class RegistryKeys
{
    /// <summary>The key <c>docker login</c> writes for Docker Hub, and the server URL its credential helpers expect.</summary>
    public const string DockerHubLegacyKey = "https://index.docker.io/v1/";

    private static readonly string[] DockerHubAliases = ["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"];

    /// <summary>Lower-case host[:port], without scheme or path, with every Docker Hub alias as <c>docker.io</c>.</summary>
    public static string Normalize(string key)
    {
        var text = key.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) text = text[(scheme + 3)..];
        var slash = text.IndexOf('/');
        if (slash >= 0) text = text[..slash];
        text = text.ToLowerInvariant();
        return DockerHubAliases.Contains(text) ? ImageReference.DockerHub : text;
    }

    /// <summary>True when the key has a repository path (Podman's <c>quay.io/team</c>), not just a host or an API path.</summary>
    public static bool HasNamespace(string key)
    {
        var text = key.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) text = text[(scheme + 3)..];
        var slash = text.IndexOf('/');
        if (slash < 0) return false;
        var path = text[(slash + 1)..].Trim('/');
        return path.Length > 0 && path is not ("v1" or "v2");
    }

    /// <summary>The server names to give a credential helper for <paramref name="registry"/>, most likely first.</summary>
    public static IReadOnlyList<string> HelperServerUrls(string registry)
    {
        var normalized = Normalize(registry);
        return normalized == ImageReference.DockerHub ? [DockerHubLegacyKey, "docker.io"] : [registry, "https://" + registry];
    }
}
