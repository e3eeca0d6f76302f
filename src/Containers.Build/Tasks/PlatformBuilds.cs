using System.Text.Json;
using Containers.Oci.Errors;
using Containers.Oci.Publishing;
using Microsoft.Build.Framework;

namespace Containers.Build.Tasks;

/// <summary>The per-platform part of a multi-platform publish: read from each inner build's item, applied over the outer build's settings.</summary>
internal static class PlatformBuilds
{
    private const string BaseNameLabel = "org.opencontainers.image.base.name";

    public static ContainerPlatformBuild Parse(ITaskItem item)
    {
        try
        {
            return JsonSerializer.Deserialize<ContainerPlatformBuild>(item.GetMetadata("Json")) ?? throw new JsonException("it is empty");
        }
        catch (JsonException e)
        {
            // The targets write this metadata; a bad one is a bug, not a user's mistake.
            throw ErrorCatalogue.UnexpectedFailure.ToException($"the build for '{item.ItemSpec}' did not describe its image ({e.Message.TrimEnd('.')})");
        }
    }

    /// <summary>
    /// The outer build's settings for one platform: its publish folder, app command and base image (inferred per
    /// runtime identifier, so the base.name label names each platform's own base).
    /// </summary>
    public static ContainerSettings Apply(ContainerSettings settings, ContainerPlatformBuild build)
    {
        var baseImage = build.BaseImage ?? settings.BaseImage;
        return settings with
        {
            RuntimeIdentifier = build.RuntimeIdentifier,
            PublishDirectory = build.PublishDirectory,
            DepsFile = build.DepsFile,
            IntermediateDirectory = build.IntermediateDirectory,
            BaseImage = baseImage,
            Entrypoint = build.Entrypoint,
            EntrypointArgs = build.EntrypointArgs,
            AppCommand = build.AppCommand,
            AppCommandArgs = build.AppCommandArgs,
            DefaultArgs = build.DefaultArgs,
            Labels = settings.Labels.Select(l => l.Key == BaseNameLabel ? KeyValuePair.Create(l.Key, baseImage) : l).ToList(),
        };
    }
}
