using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Names;

namespace Containers.Oci.Destinations;

/// <summary>A registry repository as an <see cref="IImageDestination"/>: the push itself is <see cref="RegistryDestination"/>'s.</summary>
public sealed class RegistryRepositoryDestination(RegistryDestination push, ImageReference repository, IBuildLog log) : IImageDestination
{
    public Task CheckAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<DestinationResult> WriteAsync(BuiltImage image, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var result = await push.PushAsync(image, repository, tags, log.Detail, cancellationToken).ConfigureAwait(false);
        return new DestinationResult(result.PushedReferences.Select(r => r.ToString()).ToList(), "Pushed", result.Summary);
    }

    public async Task<DestinationResult> WriteIndexAsync(BuiltIndex index, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var result = await push.PushIndexAsync(index, repository, tags, log.Detail, cancellationToken).ConfigureAwait(false);
        var platformTags = index.PlatformTags.Sum(t => t.Count);
        var byDigest = platformTags == 0 ? "; platform images by digest only" : $"; platform images also under {platformTags} platform tags";
        return new DestinationResult(result.PushedReferences.Select(r => r.ToString()).ToList(), "Pushed", result.Summary + byDigest);
    }
}
