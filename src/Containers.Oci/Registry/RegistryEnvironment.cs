using System.Collections;

namespace Containers.Oci.Registry;

/// <summary>
/// The environment variables the registry client reads, and how it reads them. Every lookup goes through a dictionary
/// (<see cref="RegistryClientOptions.Environment"/>), so tests and hosts can pass their own instead of the process's.
/// </summary>
public static class RegistryEnvironment
{
    /// <summary>Registries (<c>host</c> or <c>host:port</c>, separated by ';' or ',') to reach without verifying TLS, falling back to plain HTTP.</summary>
    public const string InsecureRegistries = "DOTNET_CONTAINER_INSECURE_REGISTRIES";

    /// <summary>The size of each PATCH of a chunked upload: bytes, or with a K, M or G suffix (powers of 1024).</summary>
    public const string ChunkSize = "CONTAINERS_REGISTRY_CHUNK_SIZE";

    /// <summary>The SDK's name for the chunk size (bytes), read after <see cref="ChunkSize"/>; then its legacy <c>SDK_</c> name.</summary>
    public const string SdkChunkSize = "DOTNET_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES";
    public const string LegacySdkChunkSize = "SDK_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES";

    /// <summary>The SDK's switch to send every blob in chunks, however small (<c>true</c>); and its legacy name.</summary>
    public const string ForceChunkedUpload = "DOTNET_CONTAINER_DEBUG_REGISTRY_FORCE_CHUNKED_UPLOAD";
    public const string LegacyForceChunkedUpload = "SDK_CONTAINER_DEBUG_REGISTRY_FORCE_CHUNKED_UPLOAD";

    /// <summary>The SDK's switch for uploading several layers at once (<c>true</c>, the default) or one at a time (<c>false</c>); and its legacy name.</summary>
    public const string ParallelUpload = "DOTNET_CONTAINER_REGISTRY_PARALLEL_UPLOAD";
    public const string LegacyParallelUpload = "SDK_CONTAINER_REGISTRY_PARALLEL_UPLOAD";

    /// <summary><c>false</c> turns off uploading a new layer while it is compressed (the upload ahead); it is on by default.</summary>
    public const string UploadAhead = "CONTAINERS_REGISTRY_UPLOAD_AHEAD";

    /// <summary>A PEM file of certificate authorities to trust for registries, beside the system's.</summary>
    public const string CaBundle = "CONTAINERS_REGISTRY_CA_BUNDLE";

    /// <summary><c>true</c> allows sending credentials over plain HTTP to a registry that is not on this machine.</summary>
    public const string AllowHttpCredentials = "CONTAINERS_REGISTRY_ALLOW_HTTP_CREDENTIALS";

    /// <summary>How often a failed request is retried (0 turns retries off).</summary>
    public const string MaxRetries = "CONTAINERS_REGISTRY_MAX_RETRIES";

    /// <summary>Seconds to wait for a TCP (and TLS) connection to a registry (default 15).</summary>
    public const string ConnectTimeout = "DOTNET_CONTAINER_REGISTRY_CONNECT_TIMEOUT";

    /// <summary>Seconds a registry may go without progress: until it answers a request, and between bytes of its answer (default 30).</summary>
    public const string ResponseTimeout = "DOTNET_CONTAINER_REGISTRY_RESPONSE_TIMEOUT";

    /// <summary>A snapshot of the process's variables. Read when a client is created, so a long-lived build node sees the current build's.</summary>
    public static IReadOnlyDictionary<string, string> Current()
    {
        var comparer = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var variables = new Dictionary<string, string>(comparer);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value) variables[key] = value;
        }
        return variables;
    }

    /// <summary>The value, or null when unset or empty.</summary>
    public static string? Get(IReadOnlyDictionary<string, string> environment, string name)
        => environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>HOME (USERPROFILE on Windows): where ~/.docker and ~/.config live.</summary>
    public static string? HomeDirectory(IReadOnlyDictionary<string, string> environment)
        => Get(environment, "HOME") ?? (OperatingSystem.IsWindows() ? Get(environment, "USERPROFILE") : null);
}
