namespace Containers.Oci.Layers;

/// <summary>Where a published file comes from, which predicts how often it changes (least often first).</summary>
public enum PublishedFileKind
{
    /// <summary>The .NET runtime of a self-contained app.</summary>
    Runtime,

    /// <summary>Files from NuGet packages, managed and native.</summary>
    Package,

    /// <summary>Files from project references.</summary>
    ProjectReference,

    /// <summary>The app itself: its assemblies, config files, content and everything not claimed above.</summary>
    App,
}
