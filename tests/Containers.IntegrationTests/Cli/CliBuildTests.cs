using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.Cli;

/// <summary>
/// <c>containerize build</c> of a publish folder against <c>dotnet publish -t:PublishContainer</c> of the same project
/// with the same settings: the same manifest bytes (so the same digest) and config, and the image runs under podman.
/// The labels the targets take from the project (authors, version, SDK version) are passed to the CLI with --label,
/// read from MSBuild's own properties: the CLI sees a folder, not a project.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class CliBuildTests(RegistryFixture registry, CliFixture local) : IClassFixture<CliFixture>
{
    private const string Greeting = "Hello from ConsoleApp in a container: user=app";

    private static readonly string Items = """
        <Project>
          <Import Project="$([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))" />
          <ItemGroup>
            <ContainerPort Include="9090" Type="tcp" />
            <ContainerPort Include="53" Type="udp" />
            <ContainerEnvironmentVariable Include="GREETING_STYLE" Value="a=b c" />
            <ContainerLabel Include="team" Value="containers" />
          </ItemGroup>
        </Project>
        """;

    [Fact]
    public async Task Build_OfAPublishFolder_IsTheImageDotnetPublishMakes_ByteForByte_AndRuns()
    {
        await registry.EnsureBaseImagesAsync();
        var tool = await CliTool.GetAsync();
        using var project = (await TestProject.FromSampleAsync("ConsoleApp", folderName: "CliBuildApp")).WithFile("Directory.Build.props", Items);
        var baseImage = registry.BaseImage("runtime").ToString();
        var publishedRepository = RegistryFixture.UniqueRepository("cli-task");
        var published = $"{registry.Registry}/{publishedRepository}:1.0";
        var built = $"{registry.Registry}/{RegistryFixture.UniqueRepository("cli-build")}:1.0";

        await project.PublishContainerAsync([$"ContainerRegistry={registry.Registry}", $"ContainerRepository={publishedRepository}",
            $"ContainerBaseImage={baseImage}", "ContainerImageTag=1.0", "ContainerImageCreated=1700000000", "ContainerWorkingDirectory=/srv/app"]);
        var labels = await ProjectLabelsAsync(project);
        var result = await tool.RunAsync(["build", project.PublishDirectory(), "--base", baseImage, "--to", built, "--created", "1700000000", "--workdir", "/srv/app",
            "--port", "9090", "--port", "53/udp", "--env", "GREETING_STYLE=a=b c", "--label", "team=containers", .. labels.SelectMany(l => new[] { "--label", l })]);

        Assert.Contains(built, result.StandardOutput);
        var expected = await Skopeo.InspectRawAsync(published);
        Assert.Equal(expected, await Skopeo.InspectRawAsync(built));
        Assert.Equal((await Skopeo.InspectConfigAsync(published)).ToJsonString(), (await Skopeo.InspectConfigAsync(built)).ToJsonString());
        var config = await Skopeo.InspectConfigAsync(built);
        Assert.Equal(["dotnet", "/srv/app/ConsoleApp.dll"], config["config"]!["Entrypoint"]!.AsArray().Select(e => e!.GetValue<string>()));

        local.RemoveLater(built);
        await Podman.PullAsync(built);
        Assert.Contains(Greeting, await Podman.RunAsync(built));
    }

    [Fact]
    public async Task Build_WithoutAnApp_OrAnEntrypoint_IsACodedError_AndWritesNothing()
    {
        var tool = await CliTool.GetAsync();
        using var folder = new TempDirectory("containers-it-cli-empty-");
        File.WriteAllText(folder.Combine("index.html"), "<p>hi</p>");
        var layout = folder.Combine("..", Path.GetFileName(folder.Path) + "-layout");

        var result = await tool.RunAsync(["build", folder.Path, "--base", registry.BaseImage("runtime").ToString(), "--to", "oci-layout:" + layout], expectSuccess: false);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error CONTAINER5701:", result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.False(Directory.Exists(layout));
    }

    [Fact]
    public async Task Build_WithAnUnknownOption_IsAUsageError_ExitCode2()
    {
        var tool = await CliTool.GetAsync();

        var result = await tool.RunAsync(["build", ".", "--base", "x", "--to", "y", "--no-such-option"], expectSuccess: false);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--no-such-option", result.StandardError);
        Assert.Contains("containerize build --help", result.StandardError);
    }

    /// <summary>The labels the targets generate from the project's properties, which a publish folder does not carry.</summary>
    private static async Task<IReadOnlyList<string>> ProjectLabelsAsync(TestProject project)
    {
        var output = await project.DotnetAsync(["msbuild", project.ProjectFile, "-nologo", "-getProperty:Authors", "-getProperty:PackageVersion",
            "-getProperty:Description", "-getProperty:Title", "-getProperty:NETCoreSdkVersion"]);
        var properties = JsonNode.Parse(output.StandardOutput)!["Properties"]!;
        string Value(string name) => properties[name]?.GetValue<string>() ?? "";
        var labels = new List<string> { $"net.dot.sdk.version={Value("NETCoreSdkVersion")}" };
        if (Value("Authors") is { Length: > 0 } authors) labels.Add($"org.opencontainers.image.authors={authors}");
        if (Value("PackageVersion") is { Length: > 0 } version) labels.Add($"org.opencontainers.image.version={version}");
        if (Value("Title") is { Length: > 0 } title) labels.Add($"org.opencontainers.image.title={title}");
        if (Value("Description") is { Length: > 0 } description)
        {
            labels.Add($"org.opencontainers.image.description={description}");
            labels.Add($"org.opencontainers.artifact.description={description}");
        }
        return labels;
    }
}
