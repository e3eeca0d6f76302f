using System.Text.RegularExpressions;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>
/// A copy of a sample (or an inline project) in a temporary folder, with a nuget.config that adds the test run's
/// package feed and inherits the machine's default source. Publishing runs the real `dotnet publish`.
/// </summary>
public sealed partial class TestProject : IDisposable
{
    private readonly TempDirectory _root;

    private TestProject(TempDirectory root, string projectDirectory, string projectFile)
    {
        _root = root;
        Directory = projectDirectory;
        ProjectFile = projectFile;
    }

    public string Directory { get; }
    public string ProjectFile { get; }
    public string Name => Path.GetFileNameWithoutExtension(ProjectFile);

    /// <summary>Copies samples/<paramref name="sample"/>. With <paramref name="useBuiltIn"/> the package reference is removed, so the SDK's built-in runs.</summary>
    public static Task<TestProject> FromSampleAsync(string sample, bool useBuiltIn = false, string? folderName = null)
        => CopyAsync(RepositoryRoot.Combine("samples", sample), folderName ?? sample, ".", useBuiltIn);

    /// <summary>
    /// Copies a folder of tests/Containers.IntegrationTests/Assets (which may hold several projects) and returns the
    /// project in <paramref name="projectFolder"/> inside it.
    /// </summary>
    public static Task<TestProject> FromAssetAsync(string asset, string projectFolder, bool useBuiltIn = false, string? folderName = null)
        => CopyAsync(RepositoryRoot.Combine("tests", "Containers.IntegrationTests", "Assets", asset), folderName ?? asset, projectFolder, useBuiltIn);

    private static async Task<TestProject> CopyAsync(string source, string folderName, string projectFolder, bool useBuiltIn)
    {
        var (feed, version) = await PackageFeed.GetAsync();
        var root = new TempDirectory("containers-it-proj-");
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props" })
        {
            File.Copy(RepositoryRoot.Combine("samples", file), root.Combine(file));
        }
        WriteNuGetConfig(root.Path, feed);
        var copy = root.Combine(folderName);
        CopyDirectory(source, copy);
        var target = Path.GetFullPath(Path.Combine(copy, projectFolder));
        var projectFile = System.IO.Directory.GetFiles(target, "*.csproj").Single();
        // Every project of the copy gets this run's package (a solution may hold several that use it).
        foreach (var file in System.IO.Directory.GetFiles(copy, "*.csproj", SearchOption.AllDirectories))
        {
            var text = await File.ReadAllTextAsync(file);
            text = text.Replace("$(ContainersBuildVersion)", version);
            if (useBuiltIn) text = PackageReference().Replace(text, "");
            await File.WriteAllTextAsync(file, text);
        }
        return new TestProject(root, target, projectFile);
    }

    /// <summary>
    /// Commits this project's whole folder to a new git repository (once) and clones it into a new folder, as a second
    /// developer or a CI agent would get it. The clone's project is returned; dispose both.
    /// </summary>
    public async Task<TestProject> CloneAsync(string folderName)
    {
        if (!System.IO.Directory.Exists(Path.Combine(_root.Path, ".git")))
        {
            await GitAsync(_root.Path, "init", "-q");
            await GitAsync(_root.Path, "add", "-A");
            await GitAsync(_root.Path, "-c", "user.email=tests@example.invalid", "-c", "user.name=tests", "commit", "-q", "-m", "test project");
        }
        var clone = new TempDirectory("containers-it-clone-");
        var target = Path.Combine(clone.Path, folderName);
        await GitAsync(clone.Path, "clone", "-q", _root.Path, target);
        var relative = Path.GetRelativePath(_root.Path, ProjectFile);
        var projectFile = Path.Combine(target, relative);
        return new TestProject(clone, Path.GetDirectoryName(projectFile)!, projectFile);
    }

    private static Task<ProcessResult> GitAsync(string directory, params string[] arguments)
        => ProcessRunner.RunAsync("git", arguments, new ProcessOptions { WorkingDirectory = directory, Timeout = TimeSpan.FromMinutes(1) });

    /// <summary>Adds a file next to the project (e.g. Directory.Build.props with items that -p: cannot set).</summary>
    public TestProject WithFile(string relativePath, string content)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return this;
    }

    /// <summary>Runs `dotnet publish -c Release -t:PublishContainer` with the given properties.</summary>
    public Task<ProcessResult> PublishContainerAsync(IEnumerable<string> properties, bool expectSuccess = true, params string[] extraArguments)
        => DotnetAsync(["publish", ProjectFile, "-c", "Release", "-t:PublishContainer", "-nologo", "-nodeReuse:false",
            .. properties.Select(p => "-p:" + p), .. extraArguments], expectSuccess);

    public Task<ProcessResult> DotnetAsync(IEnumerable<string> arguments, bool expectSuccess = true)
        => ProcessRunner.RunAsync("dotnet", arguments, new ProcessOptions
        {
            WorkingDirectory = Directory,
            Environment = DotnetEnvironment.Variables,
            Timeout = TimeSpan.FromMinutes(5),
            CheckExitCode = expectSuccess,
        });

    public string PublishDirectory(string rid = "") =>
        Path.Combine(Directory, "bin", "Release", "net10.0", rid, "publish");

    public void Dispose() => _root.Dispose();

    private static void WriteNuGetConfig(string folder, string feed) => File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="containers-it" value="{feed}" />
          </packageSources>
        </configuration>
        """);

    private static void CopyDirectory(string source, string target)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj") continue;
            var destination = Path.Combine(target, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    [GeneratedRegex(@"\s*<PackageReference Include=""Containers\.Build""[^>]*/>")]
    private static partial Regex PackageReference();
}
