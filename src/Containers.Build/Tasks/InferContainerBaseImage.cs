using Containers.Oci.Images;
using Microsoft.Build.Framework;

namespace Containers.Build.Tasks;

/// <summary>Echoes the user's base image, or infers the official one for the project (see <see cref="BaseImageInference"/>).</summary>
public sealed class InferContainerBaseImage : ContainerTask
{
    public string? UserBaseImage { get; set; }

    /// <summary>Where the official images come from; empty for mcr.microsoft.com. Lets mirrors and air-gapped setups keep inference.</summary>
    public string? BaseImageRegistry { get; set; }

    [Required] public string SdkVersion { get; set; } = "";
    [Required] public string TargetFrameworkVersion { get; set; } = "";
    public ITaskItem[] FrameworkReferences { get; set; } = [];
    public bool IsSelfContained { get; set; }
    public bool IsAotPublished { get; set; }
    public bool IsTrimmed { get; set; }
    public bool UsesInvariantGlobalization { get; set; }
    public string[] TargetRuntimeIdentifiers { get; set; } = [];
    public string? ContainerFamily { get; set; }

    [Output] public string? ComputedContainerBaseImage { get; private set; }

    protected override System.Threading.Tasks.Task ExecuteAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(UserBaseImage))
        {
            ComputedContainerBaseImage = UserBaseImage.Trim();
            return System.Threading.Tasks.Task.CompletedTask;
        }

        var traits = new ProjectTraits
        {
            SdkVersion = SdkVersion,
            TargetFrameworkVersion = TargetFrameworkVersion,
            IsAspNetCore = FrameworkReferences.Any(f => f.ItemSpec.Equals("Microsoft.AspNetCore.App", StringComparison.OrdinalIgnoreCase)),
            IsSelfContained = IsSelfContained,
            IsAot = IsAotPublished,
            IsTrimmed = IsTrimmed,
            UsesInvariantGlobalization = UsesInvariantGlobalization,
            RuntimeIdentifiers = TargetRuntimeIdentifiers,
            ContainerFamily = ContainerFamily,
        };
        var registry = string.IsNullOrWhiteSpace(BaseImageRegistry) ? BaseImageInference.OfficialRegistry : BaseImageRegistry.Trim();
        ComputedContainerBaseImage = BaseImageInference.Infer(traits, registry);
        Log.LogMessage(MessageImportance.Low, "Inferred base image {0}.", ComputedContainerBaseImage);
        return System.Threading.Tasks.Task.CompletedTask;
    }
}
