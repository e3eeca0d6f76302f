using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.Packages;

/// <summary>A multi-platform publish gets each platform's own packages: arm64 files in the arm64 image.</summary>
[Collection(RegistryCollection.Name)]
public sealed class MultiArchPackageTests(RegistryFixture registry)
{
    [Fact]
    public async Task AnArm64ImageOfAMultiPlatformPublish_GetsArm64Packages()
    {
        await registry.EnsureBaseImagesAsync();
        using var project = (await TestProject.FromSampleAsync("ConsoleApp", folderName: "MultiArchPackagesApp")).WithFile("Directory.Build.props", """
            <Project>
              <Import Project="$([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))" />
              <PropertyGroup>
                <RuntimeIdentifiers>linux-x64;linux-arm64</RuntimeIdentifiers>
                <SelfContained Condition="'$(RuntimeIdentifier)' != ''">true</SelfContained>
              </PropertyGroup>
              <ItemGroup>
                <ContainerPackage Include="libzstd1" />
              </ItemGroup>
            </Project>
            """);
        var repository = RegistryFixture.UniqueRepository("packages-multiarch");
        var resultFile = Path.Combine(project.Directory, "result.json");

        // runtime-deps has no apt sources, so the source is named: the machine's own mirror and Debian's keyring.
        await project.PublishContainerAsync([$"ContainerRegistry={registry.Registry}", $"ContainerRepository={repository}",
            $"ContainerBaseImage={registry.BaseImage("runtime-deps")}", $"ContainerResultFile={resultFile}",
            $"ContainerPackageSource={AptMirror.Debian()} bookworm main {AptMirror.Keyring}"]);

        var packages = JsonNode.Parse(File.ReadAllText(resultFile))!["packages"]!.AsArray()
            .Select(p => $"{p!["name"]!.GetValue<string>()}:{p["architecture"]!.GetValue<string>()}").ToList();
        Assert.Contains("libzstd1:amd64", packages);
        Assert.Contains("libzstd1:arm64", packages);
        using var arm64 = new TempDirectory();
        await Skopeo.RunAsync("copy", "-q", "--src-tls-verify=false", "--override-arch", "arm64", "--override-variant", "v8",
            $"docker://{registry.Registry}/{repository}:latest", $"dir:{arm64.Path}");
        var paths = LayerPaths(arm64.Path);
        Assert.Contains(paths, p => p.StartsWith("usr/lib/aarch64-linux-gnu/libzstd.so.1", StringComparison.Ordinal));
        Assert.DoesNotContain(paths, p => p.Contains("x86_64-linux-gnu/libzstd", StringComparison.Ordinal));
    }

    /// <summary>Every entry path of every gzip layer in a skopeo dir: copy.</summary>
    private static List<string> LayerPaths(string directory)
    {
        var paths = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            using var stream = File.OpenRead(file);
            if (stream.ReadByte() != 0x1f) continue;
            stream.Position = 0;
            using var reader = new TarReader(new GZipStream(stream, CompressionMode.Decompress));
            while (reader.GetNextEntry() is { } entry) paths.Add(entry.Name);
        }
        return paths;
    }
}
