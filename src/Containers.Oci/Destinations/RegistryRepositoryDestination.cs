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
}
