using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.EndToEnd;

/// <summary>The walking skeleton, end to end: dotnet publish -t:PublishContainer with the package, then podman.</summary>
[Collection(RegistryCollection.Name)]
public sealed class PublishContainerTests(RegistryFixture registry)
{
    [Fact]
    public async Task ConsoleSample_RunsInPodman_AsTheAppUser()
    {
        var published = await SamplePublications.GetAsync(registry, "ConsoleApp", builtIn: false);

        await Podman.PullAsync(published.Image);
        var output = await Podman.RunAsync(published.Image);

        Assert.Contains("Hello from ConsoleApp in a container: user=app", output);
        Assert.Contains("cwd=/app", output);
    }

    [Fact]
    public async Task WebSample_AnswersOnPort8080()
    {
        var published = await SamplePublications.GetAsync(registry, "WebApp", builtIn: false);
        await Podman.PullAsync(published.Image);
        var port = FreePort.Next();
        var container = await Podman.StartAsync(published.Image, port);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            string? body = null;
            for (var attempt = 0; attempt < 60 && body is null; attempt++)
            {
                try { body = await http.GetStringAsync($"http://127.0.0.1:{port}/"); }
                catch (HttpRequestException) { await Task.Delay(250); }
            }
            Assert.True(body is not null, "The web app never answered. Its log:\n" + await Podman.LogsAsync(container));
            Assert.Contains("Hello from WebApp in a container: user=app", body);
        }
        finally
        {
            await Podman.RemoveAsync(container);
        }
    }

    [Fact]
    public async Task OurTargetsRun_AndTheBuiltInsDoNot()
    {
        var published = await SamplePublications.GetAsync(registry, "ConsoleApp", builtIn: false);
        var log = published.Output.StandardOutput;

        Assert.Contains("Task \"PublishContainerImage\"", log);
        Assert.Contains("Task \"InferContainerBaseImage\"", log);
        Assert.DoesNotContain("Task \"CreateNewImage\"", log);
        Assert.DoesNotContain("Task \"ComputeDotnetBaseImageAndTag\"", log);
    }

    [Fact]
    public async Task TheTasksRunInTheBuildProcess_WithTheEnginePrecompiledForThisPlatform()
    {
        var published = await SamplePublications.GetAsync(registry, "ConsoleApp", builtIn: false);
        var log = published.Output.StandardOutput;

        // A precompiled task assembly would make MSBuild fall back to a task host process; only the engine is precompiled.
        Assert.DoesNotContain("fallback to out-of-process execution", log);
        var platform = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 when OperatingSystem.IsLinux() => "linux-x64/",
            System.Runtime.InteropServices.Architecture.Arm64 when OperatingSystem.IsLinux() => "linux-arm64/",
            _ => "",
        };
        Assert.Matches($@"Assembly loaded during TaskRun \(Containers\.Build\.Tasks\.\w+\): Containers\.Oci, .*tasks/net10\.0/engine/{platform}Containers\.Oci\.dll", log);
    }

    [Fact]
    public async Task ThePackage_AddsNothingToTheAppsOutput()
    {
        var published = await SamplePublications.GetAsync(registry, "ConsoleApp", builtIn: false);

        var files = Directory.GetFiles(published.PublishDirectory).Select(Path.GetFileName).ToList();
        Assert.Contains("ConsoleApp.dll", files);
        Assert.DoesNotContain(files, f => f!.StartsWith("Containers.", StringComparison.Ordinal) || f.StartsWith("Microsoft.Build", StringComparison.Ordinal));
        var deps = await File.ReadAllTextAsync(Path.Combine(published.PublishDirectory, "ConsoleApp.deps.json"));
        Assert.DoesNotContain("Containers.Build", deps);
    }

    [Theory]
    [InlineData("ConsoleApp")]
    [InlineData("WebApp")]
    public async Task ImageConfig_MatchesTheBuiltIns(string sample)
    {
        var ours = await SamplePublications.GetAsync(registry, sample, builtIn: false);
        var theirs = await SamplePublications.GetAsync(registry, sample, builtIn: true);

        var ourConfig = (await Skopeo.InspectConfigAsync(ours.Image))["config"]!;
        var theirConfig = (await Skopeo.InspectConfigAsync(theirs.Image))["config"]!;

        foreach (var field in new[] { "Entrypoint", "Cmd", "WorkingDir", "User", "ExposedPorts", "Env" })
        {
            Assert.True(JsonNode.DeepEquals(ourConfig[field], theirConfig[field]),
                $"{field} differs: ours {ourConfig[field]?.ToJsonString() ?? "null"}, built-in {theirConfig[field]?.ToJsonString() ?? "null"}");
        }
        Assert.Equal("1654", ourConfig["User"]!.GetValue<string>());
        Assert.Equal("/app/", ourConfig["WorkingDir"]!.GetValue<string>());
        if (sample == "WebApp") Assert.NotNull(ourConfig["ExposedPorts"]!["8080/tcp"]);
    }

    [Fact]
    public async Task InferredBaseImage_ComesFromTheConfiguredMirror()
    {
        await registry.EnsureBaseImagesAsync();
        using var project = await TestProject.FromSampleAsync("WebApp");
        var repository = RegistryFixture.UniqueRepository("inferred");

        await project.PublishContainerAsync([$"ContainerRegistry={registry.Registry}", $"ContainerBaseImageRegistry={registry.Registry}", $"ContainerRepository={repository}"]);

        var config = await Skopeo.InspectConfigAsync($"{registry.Registry}/{repository}:latest");
        Assert.Equal($"{registry.Registry}/dotnet/aspnet:10.0", config["config"]!["Labels"]!["org.opencontainers.image.base.name"]!.GetValue<string>());
    }
}
