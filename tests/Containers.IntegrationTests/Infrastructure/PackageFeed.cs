using System.Globalization;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>
/// The Containers.Build package, packed once per test run into a private folder with a version of its own, so NuGet
/// can never serve an older copy from its global packages folder (it caches by version).
/// </summary>
public static class PackageFeed
{
    private static readonly Lazy<Task<(string Folder, string Version)>> Packed = new(PackAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task<(string Folder, string Version)> GetAsync() => Packed.Value;

    private static async Task<(string Folder, string Version)> PackAsync()
    {
        RemoveOldTestVersions();
        var version = "0.1.0-it." + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var folder = Directory.CreateTempSubdirectory("containers-it-feed-").FullName;
        var artifacts = Directory.CreateTempSubdirectory("containers-it-pack-").FullName;
        await ProcessRunner.RunAsync("dotnet",
            ["pack", RepositoryRoot.Combine("src", "Containers.Build", "Containers.Build.csproj"), "-c", "Release", "-o", folder,
             "--artifacts-path", artifacts, $"-p:ContainersVersion={version}", "-nologo", "-v:q", "-nodeReuse:false"],
            new ProcessOptions { Timeout = TimeSpan.FromMinutes(5), Environment = DotnetEnvironment.Variables });
        if (!File.Exists(Path.Combine(folder, $"Containers.Build.{version}.nupkg")))
        {
            throw new InvalidOperationException($"dotnet pack produced no Containers.Build.{version}.nupkg in {folder}.");
        }
        return (folder, version);
    }

    /// <summary>
    /// Every run restores its own version into NuGet's global packages folder; versions from runs more than a day old
    /// are removed there, so the folder does not grow by a package per run (a run in progress is never that old).
    /// </summary>
    private static void RemoveOldTestVersions()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var versions = new DirectoryInfo(Path.Combine(root, "containers.build"));
        if (!versions.Exists) return;
        foreach (var old in versions.EnumerateDirectories("0.1.0-it.*").Where(d => d.LastWriteTimeUtc < DateTime.UtcNow.AddDays(-1)))
        {
            try { old.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>Environment for every dotnet process the tests start: quiet, and no build servers left running.</summary>
public static class DotnetEnvironment
{
    public static readonly IReadOnlyDictionary<string, string?> Variables = new Dictionary<string, string?>
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1",
        ["UseSharedCompilation"] = "false",
        // A test decides the image time itself; an ambient value would make results depend on the caller.
        ["SOURCE_DATE_EPOCH"] = null,
    };
}
