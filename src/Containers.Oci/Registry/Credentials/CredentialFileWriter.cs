using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Containers.Oci.Errors;
using Containers.Oci.Names;

namespace Containers.Oci.Registry.Credentials;

/// <summary>
/// Stores a login where docker or podman would, in the format both read (an <c>auths</c> entry with base64
/// <c>user:password</c>): the file asked for; else <c>REGISTRY_AUTH_FILE</c>, podman's; else docker's
/// <c>config.json</c> (<c>DOCKER_CONFIG</c>, else <c>~/.docker</c>), which every source of <see cref="CredentialChain"/>
/// reads. Everything else in the file is kept; the file is replaced whole (a temporary file renamed over it, mode 0600),
/// so a failed login never leaves it half-written, and a file that cannot be read is never overwritten.
/// </summary>
public static class CredentialFileWriter
{
    public static string? DefaultPath(IReadOnlyDictionary<string, string> environment)
    {
        if (environment.TryGetValue("REGISTRY_AUTH_FILE", out var podman) && podman.Length > 0) return podman;
        if (environment.TryGetValue("DOCKER_CONFIG", out var folder) && folder.Length > 0) return Path.Combine(folder, "config.json");
        return RegistryEnvironment.HomeDirectory(environment) is { } home ? Path.Combine(home, ".docker", "config.json") : null;
    }

    /// <summary>The key docker login writes: the legacy URL for Docker Hub, the host[:port] for any other registry.</summary>
    public static string KeyFor(string registry)
        => RegistryKeys.Normalize(registry) == ImageReference.DockerHub ? RegistryKeys.DockerHubLegacyKey : RegistryKeys.Normalize(registry);

    public static void Store(string path, string registry, string username, string password)
    {
        // Load checks the file as the credential sources read it (CONTAINER5104 for one that cannot be), and says
        // whether a helper owns this registry: a login written beside it would never be used.
        var existing = AuthFile.Load(path);
        if ((existing?.HelperFor(registry) ?? existing?.CredsStore) is { } helper)
        {
            throw ErrorCatalogue.LoginWriteFailed.ToException(registry, path, $"it gives this registry to the credential helper 'docker-credential-{helper}', which keeps the login instead");
        }
        try
        {
            var root = File.Exists(path) && new FileInfo(path).Length > 0
                ? JsonNode.Parse(File.ReadAllBytes(path), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }) as JsonObject ?? new JsonObject()
                : new JsonObject();
            var auths = root["auths"] as JsonObject ?? new JsonObject();
            var key = KeyFor(registry);
            // An older entry under another spelling of the same registry (https://host, host/v2/) would be read first.
            foreach (var stale in auths.Select(a => a.Key).Where(k => RegistryKeys.Normalize(k) == RegistryKeys.Normalize(registry) && !RegistryKeys.HasNamespace(k) && k != key).ToList())
            {
                auths.Remove(stale);
            }
            auths[key] = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")) };
            root["auths"] = auths;
            WriteWhole(path, Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ErrorCatalogue.LoginWriteFailed.ToException(e, registry, path, e.Message.TrimEnd('.'));
        }
    }

    private static void WriteWhole(string path, byte[] content)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
