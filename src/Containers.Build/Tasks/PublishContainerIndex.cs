using System.Text;
using System.Text.Json;
using Containers.Oci.Errors;
using Containers.Oci.Publishing;
using Containers.Oci.Stores;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Containers.Build.Tasks;

/// <summary>
/// Builds one image per runtime identifier and sends them as one image index (OCI) or manifest list (Docker). Every
/// setting is the outer build's items and properties, checked exactly as <see cref="PublishContainerImage"/> checks
/// them; only what differs per platform (publish folder, app command, base image) comes from each inner build's
/// <see cref="DescribeContainerPlatform"/> item.
/// </summary>
public sealed class PublishContainerIndex : PublishContainerImage
{
    /// <summary>One item per runtime identifier, with the <c>Json</c> metadata <see cref="DescribeContainerPlatform"/> wrote.</summary>
    [Required] public ITaskItem[] Platforms { get; set; } = [];
    /// <summary>ContainerPublishPlatformTags: also tag each platform's image &lt;tag&gt;-&lt;rid&gt; in the registry.</summary>
    public bool PlatformTags { get; set; }

    [Output] public string? GeneratedContainerIndex { get; private set; }
    [Output] public string? GeneratedContainerIndexDigest { get; private set; }
    [Output] public string? GeneratedContainerIndexMediaType { get; private set; }
    [Output] public ITaskItem[] GeneratedContainerIndexNames { get; private set; } = [];
    /// <summary>Each platform's image: the runtime identifier, with ManifestDigest, Manifest, Configuration and Platform metadata.</summary>
    [Output] public ITaskItem[] GeneratedPlatformImages { get; private set; } = [];

    protected override async System.Threading.Tasks.Task ExecuteAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(ResultFile)) PublishResultFile.Delete(ResultFile);
        var builds = Platforms.Select(Parse).ToList();
        var labels = Labels;
        var requests = new List<ContainerPublishRequest>();
        foreach (var build in builds)
        {
            // The shared checks read these parameters: point them at this platform's build, then build its request.
            ContainerRuntimeIdentifier = build.RuntimeIdentifier;
            PublishDirectory = build.PublishDirectory;
            DepsFile = build.DepsFile;
            IntermediateDirectory = build.IntermediateDirectory;
            if (build.BaseImage is { } baseImage) BaseImage = baseImage;
            Entrypoint = Items(build.Entrypoint);
            EntrypointArgs = Items(build.EntrypointArgs);
            AppCommand = Items(build.AppCommand);
            AppCommandArgs = Items(build.AppCommandArgs);
            DefaultArgs = Items(build.DefaultArgs);
            Labels = labels.Select(l => WithBaseName(l, BaseImage)).ToArray();
            requests.Add(CreateRequest());
        }

        using var publisher = new ContainerPublisher(EngineLog());
        var result = await publisher.PublishIndexAsync(requests, PlatformTags, cancellationToken);

        var index = result.Index;
        GeneratedContainerIndex = Encoding.UTF8.GetString(index.RawManifest);
        GeneratedContainerIndexDigest = index.Digest.ToString();
        GeneratedContainerIndexMediaType = index.MediaType;
        GeneratedContainerIndexNames = result.Names.Select(n => (ITaskItem)new TaskItem(n)).ToArray();
        GeneratedPlatformImages = index.Images.Select((image, i) =>
        {
            var item = new TaskItem(requests[i].RuntimeIdentifier);
            item.SetMetadata("ManifestDigest", image.Digest.ToString());
            item.SetMetadata("ManifestMediaType", image.MediaType);
            item.SetMetadata("Manifest", Encoding.UTF8.GetString(image.RawManifest));
            item.SetMetadata("Configuration", Encoding.UTF8.GetString(image.RawConfig));
            item.SetMetadata("Platform", index.Platforms[i].ToString());
            return (ITaskItem)item;
        }).ToArray();

        if (!string.IsNullOrWhiteSpace(ResultFile))
        {
            var first = requests[0];
            await PublishResultFile.WriteAsync(ResultFile, new PublishResultDocument
            {
                Image = result.Names.Count > 0 ? result.Names[0] : first.Destination.Name.NameFor(first.Tags[0]),
                Names = result.Names,
                Registry = first.Destination.Name.Registry,
                Repository = first.Destination.Name.Repository,
                Tags = first.Tags,
                Digest = index.Digest.ToString(),
                MediaType = index.MediaType,
                Destination = PublishResultFile.DestinationKind(first.Destination.Location),
                Pushed = first.Destination.Location is RegistryLocation,
                ArchivePath = result.ArchivePath,
            }, cancellationToken);
        }
    }

    private static ContainerPlatformBuild Parse(ITaskItem item)
    {
        try
        {
            return JsonSerializer.Deserialize<ContainerPlatformBuild>(item.GetMetadata("Json"))
                ?? throw new JsonException("it is empty");
        }
        catch (JsonException e)
        {
            // The targets write this metadata; a bad one is a bug, not a user's mistake.
            throw ErrorCatalogue.UnexpectedFailure.ToException($"the build for '{item.ItemSpec}' did not describe its image ({e.Message.TrimEnd('.')})");
        }
    }

    private static ITaskItem[] Items(string[] values) => values.Select(v => (ITaskItem)new TaskItem(v)).ToArray();

    /// <summary>The base.name label names the base each platform was built on (inferred per runtime identifier).</summary>
    private static ITaskItem WithBaseName(ITaskItem label, string baseImage)
    {
        if (label.ItemSpec != "org.opencontainers.image.base.name") return label;
        var copy = new TaskItem(label);
        copy.SetMetadata("Value", baseImage);
        return copy;
    }
}
