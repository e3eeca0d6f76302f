using System.Text.Json;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Containers.Build.Tasks;

/// <summary>
/// In each runtime identifier's inner build of a multi-platform publish: describes what differs per platform (the
/// publish folder, the app command, the base image) as one item whose <c>Json</c> metadata is a JSON document. Values
/// travel whole, as JSON strings and arrays: nothing is joined or split at ':' or ';' (the built-in's defect).
/// </summary>
public sealed class DescribeContainerPlatform : Microsoft.Build.Utilities.Task
{
    [Required] public string RuntimeIdentifier { get; set; } = "";
    [Required] public string PublishDirectory { get; set; } = "";
    public string? DepsFile { get; set; }
    [Required] public string IntermediateDirectory { get; set; } = "";
    public string? BaseImage { get; set; }
    public ITaskItem[] Entrypoint { get; set; } = [];
    public ITaskItem[] EntrypointArgs { get; set; } = [];
    public ITaskItem[] AppCommand { get; set; } = [];
    public ITaskItem[] AppCommandArgs { get; set; } = [];
    public ITaskItem[] DefaultArgs { get; set; } = [];

    [Output] public ITaskItem? Platform { get; private set; }

    public override bool Execute()
    {
        var description = new ContainerPlatformBuild
        {
            RuntimeIdentifier = RuntimeIdentifier,
            PublishDirectory = Path.GetFullPath(PublishDirectory),
            DepsFile = string.IsNullOrWhiteSpace(DepsFile) ? null : Path.GetFullPath(DepsFile),
            IntermediateDirectory = Path.GetFullPath(IntermediateDirectory),
            BaseImage = string.IsNullOrWhiteSpace(BaseImage) ? null : BaseImage,
            Entrypoint = Specs(Entrypoint),
            EntrypointArgs = Specs(EntrypointArgs),
            AppCommand = Specs(AppCommand),
            AppCommandArgs = Specs(AppCommandArgs),
            DefaultArgs = Specs(DefaultArgs),
        };
        var item = new TaskItem(RuntimeIdentifier);
        // SetMetadata escapes the value, so '%', '$', '@' and ';' in it come back unchanged.
        item.SetMetadata("Json", JsonSerializer.Serialize(description));
        Platform = item;
        return true;
    }

    private static string[] Specs(ITaskItem[] items) => items.Select(i => i.ItemSpec).ToArray();
}

/// <summary>The per-platform part of a multi-platform publish, as <see cref="DescribeContainerPlatform"/> writes it.</summary>
public sealed record ContainerPlatformBuild
{
    public required string RuntimeIdentifier { get; init; }
    public required string PublishDirectory { get; init; }
    public string? DepsFile { get; init; }
    public required string IntermediateDirectory { get; init; }
    public string? BaseImage { get; init; }
    public string[] Entrypoint { get; init; } = [];
    public string[] EntrypointArgs { get; init; } = [];
    public string[] AppCommand { get; init; } = [];
    public string[] AppCommandArgs { get; init; } = [];
    public string[] DefaultArgs { get; init; } = [];
}
