using Containers.Oci.Errors;

namespace Containers.Oci.Images;

/// <summary>What the project looks like, for choosing a default base image.</summary>
public sealed record ProjectTraits
{
    public required string SdkVersion { get; init; }
    /// <summary>The target framework version, e.g. <c>10.0</c>.</summary>
    public required string TargetFrameworkVersion { get; init; }
    public bool IsAspNetCore { get; init; }
    public bool IsSelfContained { get; init; }
    public bool IsAot { get; init; }
    public bool IsTrimmed { get; init; }
    public bool UsesInvariantGlobalization { get; init; }
    public IReadOnlyList<string> RuntimeIdentifiers { get; init; } = [];
    public string? ContainerFamily { get; init; }
}

/// <summary>
/// Chooses the official .NET base image for a project by the SDK's rules: runtime-deps for self-contained apps,
/// aspnet for ASP.NET Core apps, runtime otherwise; the tag from the target framework (or the preview SDK's channel);
/// <c>-alpine</c> for musl, <c>-noble-chiseled</c> and <c>-extra</c> for trimmed and AOT apps.
/// </summary>
public static class BaseImageInference
{
    public const string OfficialRegistry = "mcr.microsoft.com";
    private const int FirstVersionWithChannelTags = 8;

    /// <param name="registry">Where the official images are taken from: <c>mcr.microsoft.com</c>, or a mirror.</param>
    public static string Infer(ProjectTraits project, string registry = OfficialRegistry)
    {
        var muslCount = project.RuntimeIdentifiers.Count(r => r.StartsWith("linux-musl", StringComparison.Ordinal));
        if (muslCount > 0 && muslCount != project.RuntimeIdentifiers.Count)
        {
            throw ErrorCatalogue.MixedMuslRuntimeIdentifiers.ToException(string.Join(";", project.RuntimeIdentifiers));
        }
        var musl = muslCount > 0;

        var repository = project.IsSelfContained ? "dotnet/runtime-deps" : project.IsAspNetCore ? "dotnet/aspnet" : "dotnet/runtime";
        var (tag, allowsVariants) = VersionTag(project);

        if (!string.IsNullOrWhiteSpace(project.ContainerFamily))
        {
            tag += "-" + project.ContainerFamily;
            if (!musl && project.ContainerFamily.EndsWith("-chiseled", StringComparison.Ordinal) && !project.UsesInvariantGlobalization
                && allowsVariants && !SdkVersion.Parse(project.SdkVersion).IsPrerelease)
            {
                tag += "-extra";
            }
        }
        else if (musl)
        {
            tag += "-alpine";
            if (allowsVariants && (project.IsAot || project.IsTrimmed) && !project.UsesInvariantGlobalization) tag += "-extra";
        }
        else if (allowsVariants && (project.IsAot || project.IsTrimmed))
        {
            tag += "-noble-chiseled";
            if (!project.UsesInvariantGlobalization) tag += "-extra";
        }
        return $"{registry.TrimEnd('/')}/{repository}:{tag}";
    }

    private static (string Tag, bool AllowsVariants) VersionTag(ProjectTraits project)
    {
        var tfm = SdkVersion.TryParse(project.TargetFrameworkVersion, out var t) ? t : null;
        if (tfm is not null && tfm.Major < FirstVersionWithChannelTags) return ($"{tfm.Major}.{tfm.Minor}", false);

        if (!SdkVersion.TryParse(project.SdkVersion, out var sdk)) throw ErrorCatalogue.InvalidSdkVersion.ToException(project.SdkVersion);
        if (tfm is not null && (tfm.Major < sdk.Major || tfm.Minor < sdk.Minor)) return ($"{tfm.Major}.{tfm.Minor}", true);
        if (!sdk.IsPrerelease || sdk.Patch != 100) return ($"{sdk.Major}.{sdk.Minor}", true);

        var channel = sdk.PrereleaseLabels[0];
        return channel switch
        {
            "rtm" or "servicing" => ($"{sdk.Major}.{sdk.Minor}", true),
            "rc" or "preview" when sdk.PrereleaseLabels.Count > 1 => ($"{sdk.Major}.{sdk.Minor}.0-{channel}.{sdk.PrereleaseLabels[1]}", true),
            "alpha" or "dev" or "ci" => ($"{sdk.Major}.{sdk.Minor}-preview", true),
            _ => throw ErrorCatalogue.InvalidSdkPrereleaseVersion.ToException(channel),
        };
    }
}

/// <summary>Just enough of semantic versioning for SDK and framework versions.</summary>
public sealed record SdkVersion(int Major, int Minor, int Patch, IReadOnlyList<string> PrereleaseLabels)
{
    public bool IsPrerelease => PrereleaseLabels.Count > 0;

    public static SdkVersion Parse(string text)
        => TryParse(text, out var v) ? v : throw ErrorCatalogue.InvalidSdkVersion.ToException(text);

    public static bool TryParse(string? text, out SdkVersion version)
    {
        version = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var plus = text.IndexOf('+');
        if (plus >= 0) text = text[..plus];
        var dash = text.IndexOf('-');
        var core = dash >= 0 ? text[..dash] : text;
        var labels = dash >= 0 ? text[(dash + 1)..].Split('.') : [];
        var parts = core.Split('.');
        if (parts.Length is < 2 or > 4 || !parts.All(p => int.TryParse(p, out _))) return false;
        version = new SdkVersion(int.Parse(parts[0]), int.Parse(parts[1]), parts.Length > 2 ? int.Parse(parts[2]) : 0, labels);
        return true;
    }
}
