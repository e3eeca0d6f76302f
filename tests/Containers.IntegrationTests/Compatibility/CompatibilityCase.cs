namespace Containers.IntegrationTests.Compatibility;

/// <summary>
/// One project configuration of the matrix: the app, what changes its build, and the container settings a user would
/// write in the project file. Each is run with the built-in and with ours, and the results are compared.
/// </summary>
public sealed record CompatibilityCase
{
    public required string Name { get; init; }

    public AppKind App { get; init; } = AppKind.Console;

    /// <summary>Project properties that change the app's own build (self-contained, assembly name): such cases get a publish of their own.</summary>
    public IReadOnlyDictionary<string, string> Build { get; init; } = new Dictionary<string, string>();

    /// <summary>MSBuild XML (PropertyGroups and ItemGroups) as it would appear in the project file.</summary>
    public string Settings { get; init; } = "";

    /// <summary>The base image to publish on, from the suite's registries: runtime, aspnet, runtime-deps or runtime-custom; null picks by app.</summary>
    public string? Base { get; init; }

    /// <summary>The repository the image lands in, when the settings name it; otherwise the suite sets compat/&lt;Name&gt;.</summary>
    public string? Repository { get; init; }

    /// <summary>Only the base image inference is compared (AOT, trimming, musl, SDK versions: things only the SDK builds).</summary>
    public bool InferenceOnly { get; init; }

    /// <summary>Name the output registry with Visual Studio's RegistryUrl instead of ContainerRegistry.</summary>
    public bool UsesRegistryUrl { get; init; }

    public IReadOnlyList<KnownDifference> Differences { get; init; } = [];

    public string TargetRepository => Repository ?? $"compat/{Name}";

    public string BaseImageName => Base ?? (Build.ContainsKey("SelfContained") ? "runtime-deps" : App == AppKind.Web ? "aspnet" : "runtime");

    /// <summary>Cases that share an app build share a project (per tool) and run one after another in it.</summary>
    public string GroupKey => App + string.Concat(Build.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $";{b.Key}={b.Value}"));

    /// <summary>
    /// The settings as a file the project imports. A published case also gets a hook that runs right after base image
    /// inference: it keeps the inferred image in CompatInferredBaseImage and swaps in the suite's own base image
    /// (CompatTestBaseImage), so one run both infers and publishes, on a base both tools can read.
    /// </summary>
    public string SettingsFile()
    {
        if (InferenceOnly) return $"<Project>\n{Settings}\n</Project>\n";
        var repository = Repository is null ? $"  <PropertyGroup>\n    <ContainerRepository>{TargetRepository}</ContainerRepository>\n  </PropertyGroup>\n" : "";
        return $"""
            <Project>
            {repository}{Settings}
              <Target Name="_CompatUseTestBaseImage" AfterTargets="ComputeContainerBaseImage" Condition="'$(CompatTestBaseImage)' != ''">
                <PropertyGroup>
                  <CompatInferredBaseImage>$(ContainerBaseImage)</CompatInferredBaseImage>
                  <ContainerBaseImage>$(CompatTestBaseImage)</ContainerBaseImage>
                </PropertyGroup>
              </Target>
            </Project>

            """;
    }

    public override string ToString() => Name;
}
