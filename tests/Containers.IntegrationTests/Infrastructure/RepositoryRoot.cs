using System.Reflection;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>
/// The folder holding Containers.sln, so tests can run build/ scripts and use samples/. Found by walking up from the
/// test binaries; when they were built elsewhere (--artifacts-path), from the source folder recorded at build time.
/// </summary>
public static class RepositoryRoot
{
    private const string SolutionFile = "Containers.sln";
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    /// <summary>A path under the repository root, e.g. <c>Combine("build", "registry.sh")</c>.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        var recorded = typeof(RepositoryRoot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        var starts = new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory(), recorded };
        foreach (var start in starts.OfType<string>())
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No {SolutionFile} above {AppContext.BaseDirectory}, the current folder or '{recorded}'.");
    }
}
