using System.Collections.Concurrent;
using Containers.Oci.Diagnostics;
using Containers.Oci.Layers;
using Containers.Oci.Model;
using Containers.Oci.Registry;

namespace Containers.Oci.Stores;

/// <summary>
/// The uploads ahead of one publish to one registry repository (its main destination): each new layer that grows past
/// <see cref="Threshold"/> while it is written is sent to the registry in parts as its compressed bytes reach the file
/// (<see cref="LayerUploadAhead"/>), so the push finds it there. An upload ahead that fails is never an error: it is
/// given up, logged in one detailed line, and the push uploads the blob as it would have. Disposing stops those still
/// under way and gives up their sessions, as a publish that fails must.
/// </summary>
public sealed class UploadAhead : IAsyncDisposable
{
    /// <summary>Smaller layers are pushed as usual: the overlap would save less than a request costs.</summary>
    public const long DefaultThreshold = 1L << 20;

    /// <summary>The smallest part sent while the layer is still being written; the last may be smaller.</summary>
    public const long DefaultPartSize = 2L << 20;

    private readonly RegistryClient _client;
    private readonly string _repository;
    private readonly IBuildLog _log;
    private readonly CancellationTokenSource _stop;
    private readonly ConcurrentDictionary<string, Task<bool>> _byDigest = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Task<bool>> _runs = new();

    /// <param name="cancellationToken">The publish's: cancelling it stops every upload ahead.</param>
    public UploadAhead(RegistryClient client, string repository, IBuildLog log, CancellationToken cancellationToken, long threshold = DefaultThreshold, long partSize = DefaultPartSize)
    {
        _client = client;
        _repository = repository;
        _log = log;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Threshold = threshold;
        PartSize = partSize;
    }

    public long Threshold { get; }

    public long PartSize { get; }

    /// <summary>An observer for a layer about to be written; null when the client no longer uploads ahead (chunks refused).</summary>
    public ILayerWriteObserver? Observe()
        => _client.UploadsAhead && !_stop.IsCancellationRequested ? new LayerUploadAhead(this, _client.NewStreamUpload(_repository), Math.Max(1, Threshold), PartSize, _client.ChunkSize) : null;

    /// <summary>True when this blob was uploaded ahead, once that upload has ended; false when none was made or it was given up.</summary>
    public async Task<bool> UploadedAsync(Descriptor descriptor)
        => _byDigest.TryGetValue(descriptor.Digest, out var run) && await run.ConfigureAwait(false);

    internal CancellationToken Token => _stop.Token;

    internal void Started(Task<bool> run) => _runs.Enqueue(run);

    /// <summary>The layer's digest is known: the push may ask for its upload by it.</summary>
    internal void Completed(Digest digest, Task<bool> run) => _byDigest[digest.ToString()] = run;

    internal void Detail(string line) => _log.Detail(line);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        // Each run ends by itself once stopped (it never throws): after this no session of ours is left open.
        await Task.WhenAll(_runs).ConfigureAwait(false);
        _stop.Dispose();
    }
}
