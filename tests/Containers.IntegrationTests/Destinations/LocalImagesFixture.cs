using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Stores;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Publishing;

namespace Containers.IntegrationTests.Destinations;

/// <summary>
/// What the destination, source and cache tests share. One copy of the ConsoleApp sample for the whole run, restored
/// and published once, so every later <c>dotnet publish -t:PublishContainer</c> only rebuilds the image (the tests run
/// one after another in the registry collection). Per test class: a content cache of its own (never the user's), and
/// every podman image the class makes, removed at the end even when a test fails.
/// </summary>
public sealed class LocalImagesFixture : IAsyncLifetime
{
    private static readonly Lazy<Task<TestProject>> Shared = new(CreateSharedAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly TempDirectory _cache = new("containers-it-cache-");
    private readonly List<string> _podmanImages = [];

    public TestProject Project { get; private set; } = null!;

    /// <summary>The content cache this class's publishes use (CONTAINERS_CACHE_DIR).</summary>
    public string CacheDirectory => _cache.Path;

    public async Task InitializeAsync() => Project = await Shared.Value;

    public async Task DisposeAsync()
    {
        List<string> images;
        lock (_podmanImages) images = [.. _podmanImages];
        if (images.Count > 0)
        {
            await ProcessRunner.RunAsync("podman", ["rmi", "-f", .. images], new ProcessOptions { CheckExitCode = false, Timeout = TimeSpan.FromMinutes(1) });
        }
        _cache.Dispose();
    }

    /// <summary>A local image name no other test uses: <c>it-NAME-GUID</c> (no registry, no slash).</summary>
    public static string UniqueName(string name) => $"it-{name}-{Guid.NewGuid().ToString("N")[..12]}";

    /// <summary>Remembers a podman image to remove at the end; returns it.</summary>
    public string RemoveLater(string image)
    {
        lock (_podmanImages) _podmanImages.Add(image);
        return image;
    }

    /// <summary>Publishes the sample through MSBuild with these properties and this class's cache; output at detailed verbosity.</summary>
    public Task<ProcessResult> PublishAsync(IEnumerable<string> properties, bool expectSuccess = true)
        => LocalPublish.RunAsync(Project, properties, CacheDirectory, expectSuccess);

    /// <summary>
    /// Builds the sample's image with the engine itself, from the folder the first publish left: what the MSBuild task
    /// does after reading its properties, in a second instead of ten. For variations whose properties another test
    /// already takes through MSBuild.
    /// </summary>
    public async Task<ContainerPublishResult> PublishInProcessAsync(ImageLocation baseImage, ImageDestination target, IReadOnlyList<string> tags, string? manifestMediaType = null)
    {
        using var work = new TempDirectory();
        using var publisher = new ContainerPublisher(NullBuildLog.Instance);
        return await publisher.PublishAsync(new ContainerPublishRequest
        {
            BaseImage = baseImage,
            Platform = new Platform("amd64", "linux"),
            RuntimeIdentifier = "linux-x64",
            PublishDirectory = Project.PublishDirectory(),
            AppDirectory = "/app/",
            Settings = new ImageSettings { Entrypoint = ["dotnet", "/app/ConsoleApp.dll"], WorkingDirectory = "/app/", ManifestMediaType = manifestMediaType },
            Destination = target,
            Tags = tags,
            WorkDirectory = work.Path,
            CacheDirectory = CacheDirectory,
        }, CancellationToken.None);
    }

    private static async Task<TestProject> CreateSharedAsync()
    {
        var project = await TestProject.FromSampleAsync("ConsoleApp");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => project.Dispose();
        await project.DotnetAsync(["publish", project.ProjectFile, "-c", "Release", "-nologo", "-nodeReuse:false"]);
        return project;
    }
}

/// <summary><c>dotnet publish -t:PublishContainer</c> with a content cache of the test's choosing.</summary>
public static class LocalPublish
{
    public static Task<ProcessResult> RunAsync(TestProject project, IEnumerable<string> properties, string cacheDirectory, bool expectSuccess = true)
        => ProcessRunner.RunAsync("dotnet", Arguments(project, properties), Options(project, cacheDirectory, expectSuccess));

    public static IReadOnlyList<string> Arguments(TestProject project, IEnumerable<string> properties)
        => ["publish", project.ProjectFile, "-c", "Release", "-t:PublishContainer", "-nologo", "-nodeReuse:false", "-v:d", .. properties.Select(p => "-p:" + p)];

    public static ProcessOptions Options(TestProject project, string cacheDirectory, bool expectSuccess = true) => new()
    {
        WorkingDirectory = project.Directory,
        Environment = new Dictionary<string, string?>(DotnetEnvironment.Variables) { ["CONTAINERS_CACHE_DIR"] = cacheDirectory },
        Timeout = TimeSpan.FromMinutes(5),
        CheckExitCode = expectSuccess,
    };

    /// <summary>The build's summary line for the image, e.g. "Loaded it-x:1.0 (sha256:…): …".</summary>
    public static string Summary(ProcessResult result)
        => result.StandardOutput.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("Loaded ", StringComparison.Ordinal)
            || l.StartsWith("Wrote ", StringComparison.Ordinal) || l.StartsWith("Pushed ", StringComparison.Ordinal)) ?? "";

    /// <summary>The names podman has for a repository, e.g. <c>localhost/it-x:1.0</c>.</summary>
    public static async Task<IReadOnlyList<string>> PodmanTagsAsync(string repository)
    {
        var result = await ProcessRunner.RunAsync("podman", ["images", "--filter", $"reference={repository}", "--format", "{{.Repository}}:{{.Tag}}"]);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToList();
    }
}
