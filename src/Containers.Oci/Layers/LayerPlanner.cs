namespace Containers.Oci.Layers;

public enum LayeringMode
{
    /// <summary>Runtime, packages, project references and app each in their own layer, when not empty.</summary>
    Auto,

    /// <summary>The whole publish folder in one layer, as the SDK's built-in does.</summary>
    Single,
}

/// <summary>A file or folder the user adds at a path in the image, in a layer of its own (the ContainerLayer item).</summary>
public sealed record ExtraLayer(string SourcePath, string TargetPath, int? Mode = null, int Uid = 0, int Gid = 0);

/// <summary>What goes where: the app's owner, the layering mode and any extra layers.</summary>
public sealed record LayerPlanningOptions
{
    public LayeringMode Mode { get; init; } = LayeringMode.Auto;

    /// <summary>The app folder's owner; null keeps it root's (read-only for a non-root app).</summary>
    public (int Uid, int Gid)? AppOwner { get; init; }

    public IReadOnlyList<ExtraLayer> ExtraLayers { get; init; } = [];
}

/// <summary>
/// Splits a publish folder into layers ordered from least to most often changed, so an edit to the app re-uploads
/// only the small app layer: the runtime (self-contained apps), NuGet packages, project references, the app; then
/// each extra layer. Empty layers are left out.
/// </summary>
public static class LayerPlanner
{
    public static IReadOnlyList<LayerPlan> Plan(string publishDirectory, string appDirectory, string? depsFile, LayerPlanningOptions options)
    {
        var (uid, gid) = options.AppOwner ?? (0, 0);
        var plans = new List<LayerPlan>();
        // Walked once: LayerSources decides what may enter, and every layer of the app takes its part of the same list.
        var sources = LayerSources.Walk(publishDirectory);
        if (options.Mode == LayeringMode.Single)
        {
            plans.Add(new LayerPlanBuilder(uid, gid).AddSources(sources, appDirectory).Build($"app: {appDirectory} (single layer)"));
        }
        else
        {
            var classifier = PublishedFileClassifier.Load(depsFile);
            var byKind = sources.ToLookup(s => classifier.Classify(s.RelativePath));
            foreach (var (kind, description) in new[]
            {
                (PublishedFileKind.Runtime, "runtime"),
                (PublishedFileKind.Package, "packages"),
                (PublishedFileKind.ProjectReference, "project references"),
                (PublishedFileKind.App, "app"),
            })
            {
                if (!byKind.Contains(kind)) continue;
                plans.Add(new LayerPlanBuilder(uid, gid).AddSources(byKind[kind], appDirectory).Build($"{description}: {appDirectory}"));
            }
        }

        foreach (var extra in options.ExtraLayers)
        {
            var builder = new LayerPlanBuilder(extra.Uid, extra.Gid);
            if (Directory.Exists(extra.SourcePath)) builder.AddDirectory(extra.SourcePath, extra.TargetPath, fileMode: extra.Mode);
            else builder.AddFile(extra.SourcePath, extra.TargetPath, extra.Mode);
            plans.Add(builder.Build($"extra: {extra.TargetPath}"));
        }
        return plans;
    }
}
