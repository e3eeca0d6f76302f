using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.Cli;

/// <summary>Per CLI test class: the podman images its tests pulled or loaded, removed at the end even when a test fails.</summary>
public sealed class CliFixture : IAsyncLifetime
{
    private readonly List<string> _podmanImages = [];

    public TempDirectory Temp { get; } = new("containers-it-cli-");

    /// <summary>A podman name no other test uses, for this branch's tests: <c>it-cli-NAME-GUID</c>.</summary>
    public static string UniqueName(string name) => $"it-cli-{name}-{Guid.NewGuid().ToString("N")[..12]}";

    public string RemoveLater(string image)
    {
        lock (_podmanImages) _podmanImages.Add(image);
        return image;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        List<string> images;
        lock (_podmanImages) images = [.. _podmanImages];
        if (images.Count > 0)
        {
            await ProcessRunner.RunAsync("podman", ["rmi", "-f", .. images], new ProcessOptions { CheckExitCode = false, Timeout = TimeSpan.FromMinutes(1) });
        }
        Temp.Dispose();
    }
}
