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
    public static async Task<TestProject> FromSampleAsync(string sample, bool useBuiltIn = false, string? folderName = null)
    {
        var (feed, version) = await PackageFeed.GetAsync();
        var root = new TempDirectory("containers-it-proj-");
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props" })
        {
            File.Copy(RepositoryRoot.Combine("samples", file), root.Combine(file));
        }
        WriteNuGetConfig(root.Path, feed);
        var target = root.Combine(folderName ?? sample);
        CopyDirectory(RepositoryRoot.Combine("samples", sample), target);
        var projectFile = System.IO.Directory.GetFiles(target, "*.csproj").Single();
        var text = await File.ReadAllTextAsync(projectFile);
        text = text.Replace("$(ContainersBuildVersion)", version);
        if (useBuiltIn) text = PackageReference().Replace(text, "");
        await File.WriteAllTextAsync(projectFile, text);
        return new TestProject(root, target, projectFile);
    }

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
