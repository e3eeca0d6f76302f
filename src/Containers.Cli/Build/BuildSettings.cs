using System.CommandLine;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Containers.Cli.Commands;
using Containers.Cli.Places;
using Containers.Oci.Errors;
using Containers.Oci.Publishing;
using Containers.Oci.Stores;

namespace Containers.Cli.Build;

/// <summary>
/// The build command's options as the engine's <see cref="ContainerSettings"/>, filled as the package's targets fill
/// them from a project: the same defaults (working directory, app command, generated labels, tags), so the same
/// folder with the same settings gives the same image as dotnet publish -t:PublishContainer.
/// <see cref="PublishRequestBuilder"/> then checks every value, for both.
/// </summary>
public static class BuildSettings
{
    public const string DefaultWorkingDirectory = "/app/";

    public static ContainerSettings From(ParseResult parse, BuildOptions o, string workingDirectory, string cacheDirectory, Func<string, string?> environment)
    {
        // Values only the command line can get wrong are checked first: a usage error never waits behind a missing app.
        var environmentVariables = (parse.GetValue(o.Environment) ?? []).Select(e => OptionValues.Pair(e, "--env")).ToList();
        var userLabels = (parse.GetValue(o.Labels) ?? []).Select(l => OptionValues.Pair(l, "--label")).ToList();
        var extraLayers = (parse.GetValue(o.Layers) ?? []).Select(l => OptionValues.Layer(l, workingDirectory)).ToList();
        var folder = Path.GetFullPath(parse.GetValue(o.Folder)!, workingDirectory);
        if (!Directory.Exists(folder)) throw ErrorCatalogue.PublishDirectoryMissing.ToException(folder);
        var app = PublishedApp.Find(folder);
        var appDirectory = parse.GetValue(o.WorkingDirectory) is { Length: > 0 } wd ? wd : DefaultWorkingDirectory;
        var baseText = parse.GetValue(o.Base)!.Trim();

        var destinations = parse.GetValue(o.To)!;
        var defaultRepository = (app?.Name ?? Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar))).ToLowerInvariant();
        var primary = Place.Destination(destinations[0], workingDirectory, "build", defaultRepository, []);
        var tags = primary.Tags.Concat(parse.GetValue(o.Tags) ?? []).Distinct(StringComparer.Ordinal).ToList();

        var settings = new ContainerSettings
        {
            BaseImage = NormalizeBase(baseText, workingDirectory),
            RuntimeIdentifier = parse.GetValue(o.Platform) is { Length: > 0 } platform ? PlatformOption.RuntimeIdentifier(platform, "build") : HostRuntimeIdentifier(),
            Repository = primary.Name.Repository,
            PublishDirectory = folder,
            WorkingDirectory = appDirectory,
            IntermediateDirectory = WorkDirectory(cacheDirectory, folder),
            ImageTag = tags.Count == 0 ? "latest" : null,
            ImageTags = tags.Count == 0 ? null : string.Join(';', tags),
            ExtraDestinations = string.Join(';', destinations.Skip(1).Select(d => ExtraDestination(d, workingDirectory, defaultRepository))),
            CacheDirectory = cacheDirectory,
            ResultFile = parse.GetValue(o.ResultFile) is { Length: > 0 } result ? Path.GetFullPath(result, workingDirectory) : null,
            // The folder stands for the project: its git HEAD gives the reproducible time, as the project's does.
            ProjectDirectory = folder,
            DepsFile = app?.DepsFile,
            Entrypoint = parse.GetValue(o.Entrypoint) ?? [],
            EntrypointArgs = parse.GetValue(o.EntrypointArgs) ?? [],
            AppCommand = AppCommand(parse, o, app, appDirectory, folder),
            AppCommandArgs = parse.GetValue(o.AppCommandArgs) ?? [],
            AppCommandInstruction = parse.GetValue(o.AppCommandInstruction),
            DefaultArgs = parse.GetValue(o.DefaultArgs) ?? [],
            Labels = Labels(parse, o, app, baseText, userLabels),
            EnvironmentVariables = environmentVariables,
            Ports = (parse.GetValue(o.Ports) ?? []).Select(OptionValues.Port).ToList(),
            User = parse.GetValue(o.User),
            ImageCreated = parse.GetValue(o.Created),
            GenerateLabels = !parse.GetValue(o.NoGeneratedLabels),
            Layering = parse.GetValue(o.Layering),
            LayerCompression = parse.GetValue(o.Compression),
            ImageFormat = parse.GetValue(o.Format),
            AppOwnedByUser = parse.GetValue(o.AppOwnedByUser),
            ExtraLayers = extraLayers,
            SourceDateEpoch = environment("SOURCE_DATE_EPOCH"),
        };
        return primary.Location switch
        {
            RegistryLocation => settings with { OutputRegistry = primary.Name.Registry },
            OciLayoutLocation l => settings with { OciLayoutPath = l.Path },
            ArchiveLocation a => settings with { ArchiveOutputPath = a.Path },
            DaemonStoreLocation d => settings with { LocalRegistry = d.Daemon?.ToString() },
            _ => settings,
        };
    }

    /// <summary>The targets' default for an app: dotnet and the assembly, or the apphost; none when the user says how the image starts.</summary>
    private static IReadOnlyList<string> AppCommand(ParseResult parse, BuildOptions o, PublishedApp? app, string appDirectory, string folder)
    {
        if (parse.GetValue(o.AppCommand) is { Length: > 0 } given) return given;
        var instruction = parse.GetValue(o.AppCommandInstruction);
        if (string.Equals(instruction?.Trim(), AppCommandResolver.None, StringComparison.OrdinalIgnoreCase)) return [];
        if (app is not null) return app.AppCommand(appDirectory);
        if (parse.GetValue(o.Entrypoint) is { Length: > 0 }) return [];
        throw ErrorCatalogue.CliAppCommandUnknown.ToException(folder, "it has no NAME.runtimeconfig.json");
    }

    /// <summary>The labels the targets generate (base name, runtime version), then the user's, which win.</summary>
    private static IReadOnlyList<KeyValuePair<string, string>> Labels(ParseResult parse, BuildOptions o, PublishedApp? app, string baseText, IReadOnlyList<KeyValuePair<string, string>> userLabels)
    {
        var labels = new List<KeyValuePair<string, string>>();
        if (!parse.GetValue(o.NoGeneratedLabels))
        {
            labels.Add(new("org.opencontainers.image.base.name", baseText));
            if (app?.FrameworkVersion is { } version) labels.Add(new("net.dot.runtime.majorminor", version));
        }
        labels.AddRange(userLabels);
        return labels;
    }

    /// <summary>A local base's relative path is the working directory's (the engine would take the folder's).</summary>
    private static string NormalizeBase(string text, string workingDirectory)
        => Place.Source(text, workingDirectory) is RegistryLocation ? text : Place.Source(text, workingDirectory).ToString();

    /// <summary>One more --to as a ContainerExtraDestinations entry: it gets the build's name and tags, so it names neither.</summary>
    private static string ExtraDestination(string text, string workingDirectory, string defaultRepository)
    {
        var place = Place.Destination(text, workingDirectory, "build", defaultRepository, []);
        if (place.Tags.Count > 0 || (place.Location is not RegistryLocation && place.Name.Repository != defaultRepository))
        {
            throw CommandRunner.Usage("build", $"--to '{text}' names its own tag or name, but every destination gets the first one's name and the same tags: give tags with --tag");
        }
        var entry = place.Location switch
        {
            RegistryLocation r => r.Reference.ToString(),
            DaemonStoreLocation { Daemon: LocalDaemonKind.Docker } => "docker-daemon:",
            DaemonStoreLocation => "podman:",
            var local => local.ToString(),
        };
        return entry.Contains(';') ? throw CommandRunner.Usage("build", $"--to '{text}' holds a ';'") : entry;
    }

    /// <summary>The layer cache and file digests of this folder's builds, kept apart per folder as obj/ keeps them per project.</summary>
    private static string WorkDirectory(string cacheDirectory, string folder)
        => Path.Combine(cacheDirectory, "cli-work", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(folder)))[..16]);

    /// <summary>The targets' default: linux and this machine's architecture.</summary>
    private static string HostRuntimeIdentifier() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.Arm64 => "linux-arm64",
        Architecture.X86 => "linux-x86",
        Architecture.Arm => "linux-arm",
        _ => "linux-x64",
    };
}
