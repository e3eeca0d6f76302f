namespace Containers.Oci.Registry;

/// <summary>Tunables of the registry transport. The defaults suit real registries; tests shrink them.</summary>
public sealed record RegistryClientOptions
{
    public static RegistryClientOptions Default { get; } = new();

    /// <summary>How long to wait for a TCP (and TLS) connection before calling the registry unreachable.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a request without a body (ping, HEAD, manifest reads, upload starts) may wait for the response headers.
    /// Blob uploads are not limited: a large layer on a slow link may take far longer.
    /// </summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Blobs up to this size go in one PUT; larger ones are streamed with PATCH, then closed with an empty PUT.</summary>
    public long MonolithicUploadLimit { get; init; } = 32L * 1024 * 1024;
}
