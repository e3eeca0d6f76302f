using System.Collections.Concurrent;
using Containers.Oci.Diagnostics;
using Containers.Oci.Model;
using Containers.Oci.Registry.Operations;

namespace Containers.Oci.Registry;

/// <summary>
/// The distribution API of one registry host. Each method is one registry operation (see Operations/); failures are
/// <see cref="Errors.ContainerException"/>s with stable codes, never raw HTTP exceptions. Thread-safe: one client can
/// serve parallel uploads. Credentials, the scheme and tokens are found on first use and kept for the client's life.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private readonly RegistryTransport _transport;
    private readonly BlobPull _blobPull;
    private readonly ConcurrentDictionary<string, Lazy<Task>> _uploads = new(StringComparer.Ordinal);
    private readonly UploadHabits _uploadHabits = new();
    private readonly ITransferProgress? _progress;

    /// <exception cref="Errors.ContainerException">A setting in the environment is invalid (CONTAINER5106).</exception>
    public RegistryClient(string registry, RegistryClientOptions? options = null)
        : this(registry, options ?? RegistryClientOptions.Default, (options ?? RegistryClientOptions.Default).HttpHandlerFactory?.Invoke(registry))
    {
    }

    /// <param name="primaryHandler">The handler that does the actual I/O; tests pass a fake. Null uses sockets (this path
    /// does not ask <see cref="RegistryClientOptions.HttpHandlerFactory"/>: the caller chose the handler).</param>
    /// <param name="time">The clock tokens expire by; tests pass their own.</param>
    internal RegistryClient(string registry, RegistryClientOptions options, HttpMessageHandler? primaryHandler, TimeProvider? time = null)
    {
        _transport = new RegistryTransport(registry, options, primaryHandler, time);
        _blobPull = new BlobPull(_transport);
        // A log that shows transfers (a CLI's progress bars) is told the bytes of every blob stream; others never are.
        _progress = options.Log as ITransferProgress;
    }

    internal RegistryTransport Transport => _transport;

    /// <summary>The registry as the user wrote it, e.g. <c>localhost:5000</c>.</summary>
    public string Registry => _transport.Registry;

    public RegistryEndpoint Endpoint => _transport.Endpoint;

    /// <summary>False when DOTNET_CONTAINER_REGISTRY_PARALLEL_UPLOAD=false asks for one layer upload at a time.</summary>
    public bool ParallelUploads => _transport.Settings.ParallelUploads;

    /// <summary>
    /// True when a new layer may be uploaded while it is compressed (<see cref="NewStreamUpload"/>): not turned off
    /// (CONTAINERS_REGISTRY_UPLOAD_AHEAD=false), and the registry has not refused chunked uploads during this client's life.
    /// </summary>
    public bool UploadsAhead => _transport.Settings.UploadAhead && !_uploadHabits.RefusesChunks;

    /// <summary>The largest part of a chunked upload (CONTAINERS_REGISTRY_CHUNK_SIZE).</summary>
    internal long ChunkSize => _transport.Settings.ChunkSize;

    /// <summary>A session for a blob whose bytes arrive over time and whose digest comes last; it shares this client's auth and habits.</summary>
    internal BlobStreamUpload NewStreamUpload(string repository) => new(_transport, _uploadHabits, repository, _progress);

    /// <summary>Checks that a registry answers at all (200 or 401 on <c>/v2/</c>).</summary>
    public Task PingAsync(CancellationToken cancellationToken = default)
        => new Ping(_transport).RunAsync(cancellationToken);

    /// <summary>Reads a manifest or index by tag or digest. A digest reference is verified against the bytes received.</summary>
    public Task<RegistryManifest> GetManifestAsync(string repository, string tagOrDigest, CancellationToken cancellationToken = default)
        => new ManifestPull(_transport).RunAsync(repository, tagOrDigest, cancellationToken);

    /// <summary>Publishes a manifest under a tag or its digest; returns the digest of <paramref name="content"/>.</summary>
    /// <summary>The digest <paramref name="reference"/> (a tag) points at, or null when it does not exist: to skip a PUT that would change nothing.</summary>
    public Task<Digest?> GetManifestDigestAsync(string repository, string reference, CancellationToken cancellationToken = default)
        => new ManifestCheck(_transport).RunAsync(repository, reference, cancellationToken);

    public Task<Digest> PutManifestAsync(string repository, string reference, byte[] content, string mediaType, CancellationToken cancellationToken = default)
        => new ManifestPush(_transport).RunAsync(repository, reference, content, mediaType, cancellationToken);

    /// <summary>The manifests whose subject is <paramref name="subject"/>: by the referrers API, else the fallback tag's index.</summary>
    public Task<RegistryReferrers> GetReferrersAsync(string repository, Digest subject, CancellationToken cancellationToken = default)
        => new ReferrersList(_transport).RunAsync(repository, subject, cancellationToken);

    /// <summary>Every tag of the repository, sorted; an empty list when it has none.</summary>
    public Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken = default)
        => new TagList(_transport).RunAsync(repository, cancellationToken);

    /// <summary>True when the registry says it has the blob, and its answer agrees with the digest (it must send the digest header).</summary>
    public Task<bool> BlobExistsAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
        => new BlobCheck(_transport).RunAsync(repository, digest, size: null, cancellationToken);

    /// <summary>True when the registry says it has the blob, and its answer agrees with the descriptor's size and digest.</summary>
    public Task<bool> BlobExistsAsync(string repository, Descriptor descriptor, CancellationToken cancellationToken = default)
        => new BlobCheck(_transport).RunAsync(repository, descriptor.ParsedDigest, descriptor.Size, cancellationToken);

    /// <summary>Reads a small blob (a config) into memory, verified against its digest and size.</summary>
    public Task<byte[]> GetBlobBytesAsync(string repository, Descriptor descriptor, CancellationToken cancellationToken = default)
        => _blobPull.ReadAllAsync(repository, descriptor, cancellationToken);

    /// <summary>Streams a blob to <paramref name="destinationPath"/>; the file appears only once its digest is verified.</summary>
    public Task DownloadBlobAsync(string repository, Descriptor descriptor, string destinationPath, CancellationToken cancellationToken = default)
        => _blobPull.DownloadAsync(repository, descriptor, destinationPath, cancellationToken);

    /// <summary>A stream over a blob that throws CONTAINER5004 if the content read does not match the descriptor.</summary>
    public async Task<Stream> OpenBlobStreamAsync(string repository, Descriptor descriptor, CancellationToken cancellationToken = default)
    {
        var stream = await _blobPull.OpenAsync(repository, descriptor, cancellationToken).ConfigureAwait(false);
        return _progress is null ? stream : new ProgressStream(stream, _progress, $"download {Short(descriptor.Digest)} from {Registry}/{repository}", descriptor.Size);
    }

    /// <summary>Links a blob from another repository of this registry without sending it; false when the registry declines.</summary>
    public Task<bool> TryMountBlobAsync(string repository, Digest digest, string fromRepository, CancellationToken cancellationToken = default)
        => new BlobMount(_transport).RunAsync(repository, digest, fromRepository, cancellationToken);

    /// <summary>
    /// Uploads a blob, streaming it from <paramref name="openContent"/> (called again only when a resumed upload needs bytes
    /// a non-seekable stream has passed; each stream is disposed after). While an upload of the same digest to the same
    /// repository is under way, a second call waits for it instead of sending the blob twice.
    /// </summary>
    public Task UploadBlobAsync(string repository, Descriptor descriptor, Func<Stream> openContent, CancellationToken cancellationToken = default)
        => UploadBlobAsync(repository, descriptor, _ => Task.FromResult(openContent()), cancellationToken);

    /// <summary>As above, for content that takes I/O to open, such as another registry's blob.</summary>
    public async Task UploadBlobAsync(string repository, Descriptor descriptor, Func<CancellationToken, Task<Stream>> openContent, CancellationToken cancellationToken = default)
    {
        var key = $"{repository}@{descriptor.Digest}";
        var content = _progress is not { } progress ? openContent : async token =>
            (Stream)new ProgressStream(await openContent(token).ConfigureAwait(false), progress, $"upload {Short(descriptor.Digest)} to {Registry}/{repository}", descriptor.Size);
        var upload = new Lazy<Task>(() => new BlobUpload(_transport, _uploadHabits).RunAsync(repository, descriptor, content, cancellationToken));
        var running = _uploads.GetOrAdd(key, upload);
        try
        {
            await running.Value.ConfigureAwait(false);
        }
        finally
        {
            if (running == upload) _uploads.TryRemove(new KeyValuePair<string, Lazy<Task>>(key, upload));
        }
    }

    public void Dispose() => _transport.Dispose();

    /// <summary>A digest as people read it in a list: algorithm and the first 12 hex digits.</summary>
    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;
}
