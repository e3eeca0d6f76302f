using System.Text.Json;
using System.Text.Json.Nodes;
using Containers.Oci.Errors;

namespace Containers.Cli.Build;

/// <summary>
/// The .NET app in a publish folder, found by its <c>NAME.runtimeconfig.json</c>: its name, whether it is
/// self-contained (the runtime config lists included frameworks), its target framework and its <c>.deps.json</c>.
/// What dotnet publish's targets know from the project, the CLI reads from the folder, so both start the app alike.
/// </summary>
public sealed record PublishedApp(string Name, bool SelfContained, string? FrameworkVersion, string? DepsFile)
{
    private const string RuntimeConfigSuffix = ".runtimeconfig.json";

    /// <summary>The app in <paramref name="folder"/>; null when there is none; CONTAINER5701 when several could be meant.</summary>
    public static PublishedApp? Find(string folder)
    {
        var candidates = Directory.EnumerateFiles(folder, "*" + RuntimeConfigSuffix, SearchOption.TopDirectoryOnly)
            .Select(f => Path.GetFileName(f)[..^RuntimeConfigSuffix.Length])
            .Where(n => n.Length > 0)
            .Order(StringComparer.Ordinal)
            .ToList();
        // A test host or tool may leave a second runtime config; the app is the one with its own deps file and assembly.
        if (candidates.Count > 1) candidates = candidates.Where(n => File.Exists(Path.Combine(folder, n + ".deps.json")) && File.Exists(Path.Combine(folder, n + ".dll"))).ToList();
        if (candidates.Count == 0) return null;
        if (candidates.Count > 1)
        {
            throw ErrorCatalogue.CliAppCommandUnknown.ToException(folder, $"it holds several apps ({string.Join(", ", candidates)})");
        }
        var name = candidates[0];
        var runtimeConfig = ReadRuntimeOptions(folder, name);
        var depsFile = Path.Combine(folder, name + ".deps.json");
        return new PublishedApp(name,
            SelfContained: runtimeConfig?["includedFrameworks"] is JsonArray,
            FrameworkVersion: FrameworkVersionOf(runtimeConfig?["tfm"]?.GetValue<string>()),
            DepsFile: File.Exists(depsFile) ? depsFile : null);
    }

    /// <summary>How the image starts the app, as the targets' ContainerAppCommand: the apphost, or dotnet and the assembly.</summary>
    public IReadOnlyList<string> AppCommand(string appDirectory)
    {
        var folder = appDirectory.TrimEnd('/') + "/";
        return SelfContained ? [folder + Name] : ["dotnet", folder + Name + ".dll"];
    }

    private static JsonObject? ReadRuntimeOptions(string folder, string name)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(Path.Combine(folder, name + RuntimeConfigSuffix)))?["runtimeOptions"] as JsonObject;
        }
        catch (JsonException e)
        {
            throw ErrorCatalogue.CliAppCommandUnknown.ToException(e, folder, $"{name}{RuntimeConfigSuffix} is not JSON ({e.Message.TrimEnd('.')})");
        }
    }

    /// <summary><c>net10.0</c> → <c>10.0</c>, the targets' _TargetFrameworkVersionWithoutV; null for anything else.</summary>
    internal static string? FrameworkVersionOf(string? tfm)
    {
        if (tfm is null || !tfm.StartsWith("net", StringComparison.Ordinal)) return null;
        var version = tfm[3..].Split('-')[0];
        return Version.TryParse(version, out var parsed) && parsed.Major >= 5 ? version : null;
    }
}
