using System.Diagnostics;
using Containers.Oci.Destinations;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Layers;
using Containers.Oci.Registry;

namespace Containers.Oci.Publishing;

/// <summary>
/// The whole job for one image: read the base, plan and write the app's layers, assemble the image, push it.
/// The same engine serves the MSBuild tasks, a CLI and the tests.
/// </summary>
public sealed class ContainerPublisher : IDisposable
{
    private readonly IBuildLog _log;
    private readonly RegistryClientProvider _clients;

    public ContainerPublisher(IBuildLog log, RegistryClientOptions? registryOptions = null)
    {
        _log = log;
        _clients = new RegistryClientProvider(registryOptions);
    }

    public void Dispose() => _clients.Dispose();

    public async Task<ContainerPublishResult> PublishAsync(ContainerPublishRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var timestamp = request.Settings.Created;

        var baseImage = await ReadBaseImageAsync(request, cancellationToken).ConfigureAwait(false);
        _log.Info($"Building image '{request.Destination.Repository}' with tags '{string.Join(", ", request.Tags)}' on top of base image '{request.BaseImage}' ({baseImage.ManifestDigest}).");

        var plan = new LayerPlanBuilder()
            .AddDirectory(request.PublishDirectory, request.AppDirectory)
            .Build("app: " + request.AppDirectory);
        var writer = new LayerWriter(timestamp);
        var layer = await writer.WriteAsync(plan, Path.Combine(request.WorkDirectory, "blobs"), cancellationToken).ConfigureAwait(false);
        _log.Detail($"Layer '{plan.Description}': {plan.Entries.Count} entries, {layer.Descriptor.Size} bytes, {layer.Descriptor.Digest}.");

        var labels = request.Settings.Labels.ToList();
        if (request.AddCreatedLabels)
        {
            var created = ImageConfigBuilder.Rfc3339(timestamp);
            labels.Add(new("org.opencontainers.image.created", created));
            labels.Add(new("org.opencontainers.artifact.created", created));
        }
        if (request.AddBaseDigestLabel) labels.Add(new("org.opencontainers.image.base.digest", baseImage.ManifestDigest.ToString()));

        var image = ImageBuilder.Build(baseImage, [(layer, plan.Description)], request.Settings with { Labels = labels });

        var destination = new RegistryDestination(_clients);
        var push = await destination.PushAsync(image, request.Destination, request.Tags, _log.Detail, cancellationToken).ConfigureAwait(false);
        var names = request.Tags.Select(t => request.Destination.WithTag(t).ToString()).ToList();
        var summary = $"Pushed {string.Join(", ", names)} ({image.ManifestDigest}): {push.Summary}, in {clock.Elapsed.TotalSeconds:0.0} s.";
        _log.Info(summary);
        return new ContainerPublishResult(image, names, summary);
    }

    private Task<BaseImage> ReadBaseImageAsync(ContainerPublishRequest request, CancellationToken cancellationToken)
        => new RegistryImageSource(_clients).ReadAsync(request.BaseImage, request.Platform, request.RuntimeIdentifier, cancellationToken);
}
