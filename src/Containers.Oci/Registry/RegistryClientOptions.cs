using System.Security.Cryptography.X509Certificates;
using Containers.Oci.Diagnostics;
using Containers.Oci.Registry.Credentials;

namespace Containers.Oci.Registry;

/// <summary>
/// Tunables of the registry transport. The defaults suit real registries; tests shrink them. A setting left null is
/// read from the environment (see <see cref="RegistryEnvironment"/>) when a client is created.
/// </summary>
public sealed record RegistryClientOptions
{
    public static RegistryClientOptions Default { get; } = new();

    /// <summary>
    /// How long to wait for a TCP (and TLS) connection before calling the registry unreachable.
    /// Null: <c>DOTNET_CONTAINER_REGISTRY_CONNECT_TIMEOUT</c> (seconds), else 15 s.
    /// </summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>
    /// How long the registry may go without progress: from sending a request (or its body's last bytes) to the response
    /// headers, and between the bytes of a response body. A body being sent is progress, so a slow upload is never cut
    /// while bytes move. Null: <c>DOTNET_CONTAINER_REGISTRY_RESPONSE_TIMEOUT</c> (seconds), else 30 s.
    /// </summary>
    public TimeSpan? ResponseTimeout { get; init; }

    /// <summary>Blobs up to this size (and up to <see cref="ChunkSize"/>) go in one PUT; larger ones in chunks.</summary>
    public long MonolithicUploadLimit { get; init; } = 32L * 1024 * 1024;

    /// <summary>The size of each PATCH of a chunked upload. Null: <c>CONTAINERS_REGISTRY_CHUNK_SIZE</c>, else 32 MiB.</summary>
    public long? ChunkSize { get; init; }

    /// <summary>
    /// Uploads a new layer to a registry destination while it is being compressed, in parts as its bytes reach the layer
    /// file. Null: <c>CONTAINERS_REGISTRY_UPLOAD_AHEAD</c>, else true.
    /// </summary>
    public bool? UploadAhead { get; init; }

    /// <summary>The variables to read settings and credentials from. Null: the process's, when the client is created.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Where credentials come from. Null: <see cref="CredentialChain.CreateDefault"/> over <see cref="Environment"/>.</summary>
    public ICredentialSource? Credentials { get; init; }

    /// <summary>
    /// Registries to reach without verifying their certificate, falling back to plain HTTP when they have no TLS at all;
    /// added to those in <c>DOTNET_CONTAINER_INSECURE_REGISTRIES</c>. Entries are <c>host</c> (any port) or <c>host:port</c>.
    /// </summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>Treats every registry on this machine (localhost, 127.0.0.0/8, [::1]) as insecure. Turn off to verify TLS even there.</summary>
    public bool TreatLoopbackAsInsecure { get; init; } = true;

    /// <summary>Certificate authorities to trust beside the system's (and those in <c>CONTAINERS_REGISTRY_CA_BUNDLE</c>).</summary>
    public X509Certificate2Collection? TrustedCertificates { get; init; }

    /// <summary>
    /// Sends credentials over plain HTTP to registries not on this machine. Null: <c>CONTAINERS_REGISTRY_ALLOW_HTTP_CREDENTIALS</c>,
    /// else false. Without it such a registry asking for credentials is an error rather than a leak.
    /// </summary>
    public bool? AllowCredentialsOverHttp { get; init; }

    /// <summary>How often a failed request (408, 429, 5xx, a dropped connection) is retried. Null: <c>CONTAINERS_REGISTRY_MAX_RETRIES</c>, else 5.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>The first retry's delay; each next one doubles, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between attempts, also the most a <c>Retry-After</c> is honoured for.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one request (or one upload without progress) may keep retrying before giving up.</summary>
    public TimeSpan RetryTimeLimit { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Gets detail lines: retries, resumed uploads, the credential source used, a fallback to HTTP. Never a secret.</summary>
    public IBuildLog? Log { get; init; }

    /// <summary>
    /// The handler under the chain for each registry host (the registry as written, e.g. <c>localhost:5000</c>). Null uses
    /// sockets; tests and proxies pass their own. The client owns what it returns and disposes it with itself, so return
    /// a new handler per call, or one that ignores <c>Dispose</c> when it is shared.
    /// </summary>
    public Func<string, HttpMessageHandler>? HttpHandlerFactory { get; init; }
}
