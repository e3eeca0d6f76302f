using System.Collections.Concurrent;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Registry;
using Containers.Oci.Layers;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Stores;

namespace Containers.Oci.Publishing;

/// <summary>
/// Finds a layer that the local layer cache does not have in earlier images of the registry, by the key recorded on its
/// descriptor (<see cref="LayerKeyAnnotation"/>): a fresh CI agent then builds only the layers whose inputs changed.
/// The earlier images (ContainerCacheFrom; by default the destination's first tag) are read once, on the first miss,
/// manifest and config only. A match is used only when the registry confirms the blob (present, with the recorded
/// size) and its media type is the compression asked for; its diff id is the one the earlier image's config lists for it.
/// Nothing here is ever an error: an image that is missing (a first publish), refused or unreadable is noted in the
/// detailed log, and the layer is built. The trust is the repository's own (docs/layering.md#layer-reuse-through-the-registry).
/// </summary>
public sealed class RegistryLayerReuse
{
    private readonly IReadOnlyList<ImageReference> _sources;
    private readonly StoreContext? _context;
    private readonly Platform _platform;
    private readonly string? _runtimeIdentifier;
    private readonly Lock _lock = new();
    private Task<EarlierImages>? _earlier;
    private readonly ConcurrentQueue<string> _details = new();

    public RegistryLayerReuse(IReadOnlyList<ImageReference> sources, StoreContext context, Platform platform, string? runtimeIdentifier)
    {
        _sources = sources;
        _context = context;
        _platform = platform;
        _runtimeIdentifier = runtimeIdentifier;
    }

    private RegistryLayerReuse()
    {
        _sources = [];
        _platform = new Platform("amd64", "linux");
    }

    /// <summary>Looks nowhere: every layer the cache lacks is built.</summary>
    public static RegistryLayerReuse None { get; } = new();

    /// <summary>What was looked at and why a layer was or was not taken, for the detailed log.</summary>
    public IReadOnlyList<string> Details => [.. _details];

    /// <summary>The images that are looked at, in order.</summary>
    public IReadOnlyList<ImageReference> Sources => _sources;

    /// <summary>An earlier image's layer for the recorded key, confirmed by its registry; null when there is none.</summary>
    public async Task<ILayer?> FindAsync(string recordedKey, LayerCompression compression, CancellationToken cancellationToken)
    {
        if (_sources.Count == 0 || _context is null) return null;
        var candidates = (await ReadAsync(cancellationToken).ConfigureAwait(false)).Candidates;
        if (!candidates.TryGetValue(recordedKey, out var candidate)) return null;
        var descriptor = candidate.Layer.Descriptor;
        if (!MatchesCompression(descriptor.MediaType, compression))
        {
            _details.Enqueue($"Layer reuse: {Short(descriptor)} in {candidate.Source} has the key but media type {descriptor.MediaType}, not {compression}; built here.");
            return null;
        }
        try
        {
            if (!await _context.Clients.Get(candidate.Source.Registry).BlobExistsAsync(candidate.Source.Repository, descriptor, cancellationToken).ConfigureAwait(false))
            {
                _details.Enqueue($"Layer reuse: {Short(descriptor)} recorded in {candidate.Source} is missing there or not {descriptor.Size} bytes; built here.");
                return null;
            }
        }
        catch (Exception e) when (OptionalRead.Failed(e, cancellationToken))
        {
            _details.Enqueue($"Layer reuse: could not check {Short(descriptor)} in {candidate.Source} ({Reason(e)}); built here.");
            return null;
        }
        return candidate.Layer with { Descriptor = LayerKeyAnnotation.With(descriptor, recordedKey) };
    }

    /// <summary>
    /// Starts reading the earlier images now, before any layer asks, so the registry's answer overlaps planning and
    /// hashing. For a layer cache that has nothing yet (a fresh agent, or a first publish), where every layer will ask.
    /// </summary>
    public void Prefetch(CancellationToken cancellationToken)
    {
        if (_sources.Count > 0 && _context is not null) _ = ReadAsync(cancellationToken);
    }

    /// <summary>
    /// The earlier images that could be read, each with its store (read once, shared with the layer lookup): the supply
    /// chain takes the base's facts from their SBOMs when they name the same base.
    /// </summary>
    public async Task<IReadOnlyList<(IImageStore Store, IImage Image)>> EarlierImagesAsync(CancellationToken cancellationToken)
        => _sources.Count == 0 || _context is null ? [] : (await ReadAsync(cancellationToken).ConfigureAwait(false)).Images;

    /// <summary>True for what a registry layer may be stored as under this compression (the Docker and OCI names of gzip).</summary>
    internal static bool MatchesCompression(string mediaType, LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => mediaType is MediaTypes.OciLayerGzip or MediaTypes.DockerLayerGzip,
        LayerCompression.Zstd => mediaType is MediaTypes.OciLayerZstd,
        _ => false,
    };

    private Task<EarlierImages> ReadAsync(CancellationToken cancellationToken)
    {
        lock (_lock) return _earlier ??= ReadSourcesAsync(cancellationToken);
    }

    /// <summary>Every keyed layer of every source; of two with one key, the first source's wins.</summary>
    private async Task<EarlierImages> ReadSourcesAsync(CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, Candidate>(StringComparer.Ordinal);
        var images = new List<(IImageStore, IImage)>();
        foreach (var source in _sources)
        {
            IImage image;
            var store = new RegistryStore(source, _context!);
            try
            {
                image = await store.ReadImageAsync(_platform, _runtimeIdentifier, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (OptionalRead.Failed(e, cancellationToken))
            {
                _details.Enqueue($"Layer reuse: {source} was not read ({Reason(e)}); its layers are not reused.");
                continue;
            }
            images.Add((store, image));
            var keyed = 0;
            // An OCI image records the keys on its descriptors, a Docker image in its history (LayerKeyAnnotation).
            var fromHistory = LayerKeyAnnotation.FromHistory(image.Config, image.Layers.Count);
            foreach (var (layer, i) in image.Layers.Select((l, i) => (l, i)))
            {
                if (layer is not BlobLayer blob || (LayerKeyAnnotation.Of(layer.Descriptor) ?? fromHistory[i]) is not { } key) continue;
                keyed++;
                found.TryAdd(key, new Candidate(source, blob));
            }
            _details.Enqueue($"Layer reuse: {source} ({image.Digest}) records the keys of {keyed} of its {image.Layers.Count} layers.");
        }
        return new EarlierImages(found, images);
    }

    /// <summary>Why, in a few words: the catalogue's fixes speak of the base image, which would mislead here.</summary>
    private static string Reason(Exception e) => e switch
    {
        ContainerException { Kind: FailureKind.NotFound } => "it does not exist yet",
        ContainerException { Kind: FailureKind.AccessDenied } => "access denied",
        ContainerException { Kind: FailureKind.Unreachable } => "the registry could not be reached",
        ContainerException coded => $"{coded.Code}: {coded.Message.TrimEnd('.')}",
        _ => e.Message.TrimEnd('.'),
    };

    private static string Short(Descriptor descriptor) => descriptor.Digest.Length > 19 ? descriptor.Digest[..19] : descriptor.Digest;

    private sealed record Candidate(ImageReference Source, BlobLayer Layer);

    private sealed record EarlierImages(IReadOnlyDictionary<string, Candidate> Candidates, IReadOnlyList<(IImageStore Store, IImage Image)> Images);
}
