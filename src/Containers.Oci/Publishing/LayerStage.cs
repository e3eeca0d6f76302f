using System.Collections.Concurrent;
using System.Globalization;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Layers;

namespace Containers.Oci.Publishing;

/// <summary>The new layers of an image, and how many were reused from the layer cache.</summary>
/// <param name="Details">Lines for detailed verbosity: what was read and each layer.</param>
public sealed record LayerStageResult(IReadOnlyList<(ILayer Layer, string Description)> Layers, int Reused, int Written, IReadOnlyList<string> Details)
{
    public string Summary => $"{Layers.Count} layer{(Layers.Count == 1 ? "" : "s")} ({Reused} reused, {Written} written)";
}

/// <summary>
/// Plans the app's layers (<see cref="LayerPlanner"/>) and gets each from the <see cref="LayerCache"/>, else from an
/// earlier image in the registry (<see cref="RegistryLayerReuse"/>), else writes it, several at once: tar and
/// compression are CPU-bound, so layers are compressed in parallel.
/// </summary>
public static class LayerStage
{
    private enum Source { Written, Cache, Registry }

    /// <summary>
    /// The time of every entry in our layers: the epoch, whatever the image's time (as Jib dates its files). A file's
    /// time means nothing to a container, and a time that moved with each commit (the default image time is the commit's)
    /// would change every layer's bytes, so no layer could be reused from one commit to the next, locally or through
    /// the registry. The image's created time, history and labels carry the image's time. It is earlier than any
    /// SOURCE_DATE_EPOCH, which the reproducible-builds convention treats as an upper bound for file times.
    /// </summary>
    internal static readonly DateTimeOffset FileTime = DateTimeOffset.UnixEpoch;

    /// <param name="baseImage">Still being read while the layers are planned; awaited only when the app folder's owner comes from it.</param>
    /// <param name="reuse">Where layers the cache lacks are looked for; none by default.</param>
    /// <param name="observeWrite">Gives an observer for each layer really written now (not cached, not reused), e.g. an upload ahead.</param>
    public static async Task<LayerStageResult> BuildAsync(ContainerPublishRequest request, Task<IImage> baseImage, CancellationToken cancellationToken, RegistryLayerReuse? reuse = null,
        Func<ILayerWriteObserver?>? observeWrite = null)
    {
        reuse ??= RegistryLayerReuse.None;
        var options = new LayerPlanningOptions
        {
            Mode = request.Layering,
            AppOwner = request.AppOwnedByUser ? ResolveUser(request.Settings.User, await baseImage.ConfigureAwait(false)) : null,
            ExtraLayers = request.ExtraLayers,
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cache = new LayerCache(request.LayerCacheDirectory ?? request.WorkDirectory, packages: PackageFiles.Load(request.PublishDirectory, request.DepsFile, request.PackageRoot));
        // An empty cache will miss every layer: the earlier image is asked for while the layers are planned and keyed.
        if (cache.IsEmpty) reuse.Prefetch(cancellationToken);
        var plans = LayerPlanner.Plan(request.PublishDirectory, request.AppDirectory, request.DepsFile, options);
        var planned = clock.Elapsed;

        var results = new ConcurrentDictionary<int, (ILayer Layer, Source Source)>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, plans.Count), parallel, async (index, token) =>
        {
            var (time, compression) = (FileTime, request.Compression);
            var key = cache.Key(plans[index], time, compression, token);
            if (cache.TryGet(key) is { } cached) results[index] = (cached, Source.Cache);
            else if (await reuse.FindAsync(LayerKeys.Recorded(key), compression, token).ConfigureAwait(false) is { } found) results[index] = (found, Source.Registry);
            else results[index] = (await cache.WriteAsync(key, plans[index], time, compression, token, observeWrite?.Invoke()).ConfigureAwait(false), Source.Written);
        }).ConfigureAwait(false);
        cache.SaveFileDigests();
        // Every layer of this publish is in hand: what neither it nor the publish before used can go (docs/layering.md).
        var pruned = cache.Prune();
        var details = new List<string>
        {
            $"Layer inputs: {plans.Sum(p => p.Entries.Count(e => e.Kind == LayerEntryKind.File))} files, {cache.FilesHashed} read, {cache.PackageFilesMatched} known by their package's hash (the others unchanged since the last build); planned in {planned.TotalMilliseconds:0} ms, layers ready in {clock.Elapsed.TotalMilliseconds:0} ms.",
        };
        details.AddRange(reuse.Details);
        if (pruned.Records + pruned.Blobs + pruned.TemporaryFiles > 0)
        {
            details.Add($"Layer cache: removed {pruned.Records} records and {pruned.Blobs} blobs ({Content.ByteSize.Format(pruned.BlobBytes)}) that neither this publish nor the one before used, and {pruned.TemporaryFiles} temporary files of interrupted builds.");
        }

        var layers = new List<(ILayer, string)>();
        for (var i = 0; i < plans.Count; i++)
        {
            var (layer, source) = results[i];
            var how = source switch
            {
                Source.Cache => " (reused)",
                Source.Registry => $" (reused from the registry: {layer.MountSource})",
                _ => " (written)",
            };
            details.Add($"Layer '{plans[i].Description}': {plans[i].Entries.Count} entries, {layer.Descriptor.Size} bytes, {layer.Descriptor.Digest}{how}.");
            layers.Add((layer, plans[i].Description));
        }
        var reusedCount = results.Values.Count(r => r.Source != Source.Written);
        return new LayerStageResult(layers, reusedCount, plans.Count - reusedCount, details);
    }

    /// <summary>
    /// The numeric owner for the app folder: the explicit user if it is numeric (<c>uid</c> or <c>uid:gid</c>), else the
    /// base image's APP_UID. A user name cannot be resolved without the base's /etc/passwd, so it is an error.
    /// </summary>
    internal static (int Uid, int Gid) ResolveUser(string? user, IImage baseImage)
    {
        var candidate = user;
        if (string.IsNullOrWhiteSpace(candidate))
        {
            var env = ImageConfigBuilder.ReadEnvironment(baseImage.Config["config"] as System.Text.Json.Nodes.JsonObject ?? new());
            candidate = env.GetValueOrDefault("APP_UID") ?? ImageDocuments.Text(baseImage.Config["config"]?["User"]);
        }
        var parts = (candidate ?? "").Split(':');
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            && (parts.Length == 1 || int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var gid = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : uid;
            return (uid, gid);
        }
        throw ErrorCatalogue.AppOwnerNotNumeric.ToException(candidate ?? "(none)");
    }
}
