using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Layers;

namespace Containers.IntegrationTests.EndToEnd;

/// <summary>
/// "The same inputs give the same digest, whatever the machine": the layer writer, published as a small program for
/// linux-x64 and for linux-arm64 (run under qemu, with the arm64 zlib and OpenSSL), writes the same folder into
/// byte-identical layers, and so does this process. The gzip of both comes from each platform's own native zlib-ng.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class CrossArchitectureLayerTests(RegistryFixture registry, ITestOutputHelper output)
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    [Fact]
    public async Task A_layer_written_on_arm64_is_byte_identical_to_the_one_written_on_x64()
    {
        // The fixture's base images bring the arm64 Debian libraries (build/base-images.sh) used as qemu's sysroot.
        await registry.EnsureBaseImagesAsync();
        var sysroot = Arm64Sysroot();
        Assert.True(File.Exists(Path.Combine(sysroot, "lib", "ld-linux-aarch64.so.1")), $"No arm64 sysroot at {sysroot}: build/base-images.sh makes it.");
        Assert.True(File.Exists("/usr/bin/qemu-aarch64-static"), "qemu-aarch64-static is missing: build/prereqs.sh installs qemu-user-static.");

        using var work = new TempDirectory();
        var input = CreateInput(work.Combine("input"));
        var tool = WriteTool(work.Combine("tool"));
        var x64 = await PublishAsync(tool, "linux-x64", work.Combine("x64"));
        var arm64 = await PublishAsync(tool, "linux-arm64", work.Combine("arm64"));

        var onX64 = (await ProcessRunner.RunAsync(Path.Combine(x64, "LayerDigest"), [input, work.Combine("out-x64")], null)).StandardOutput.Trim();
        var onArm64 = (await ProcessRunner.RunAsync("/usr/bin/qemu-aarch64-static", ["-L", sysroot, Path.Combine(arm64, "LayerDigest"), input, work.Combine("out-arm64")],
            new ProcessOptions { Timeout = TimeSpan.FromMinutes(3) })).StandardOutput.Trim();
        var here = await new LayerWriter(Time).WriteAsync(new LayerPlanBuilder().AddDirectory(input, "/app").Build("app"), work.Combine("out-here"), CancellationToken.None);
        output.WriteLine($"x64:   {onX64}\narm64: {onArm64}");

        Assert.StartsWith("X64 ", onX64, StringComparison.Ordinal);
        Assert.StartsWith("Arm64 ", onArm64, StringComparison.Ordinal);
        Assert.Equal(onX64[4..], onArm64[6..]);
        Assert.Equal($"{here.Descriptor.Digest} {here.DiffId} {here.Descriptor.Size}", onX64[4..]);
    }

    private static string Arm64Sysroot()
    {
        var cache = Environment.GetEnvironmentVariable("CONTAINERS_FIXTURE_CACHE") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "containers-fixtures");
        return Path.Combine(cache, "debian-arm64", "root");
    }

    /// <summary>About 5 MB over several gzip pieces: incompressible and repetitive files, nested folders, an executable.</summary>
    private static string CreateInput(string root)
    {
        var random = new Random(42);
        Directory.CreateDirectory(Path.Combine(root, "lib", "nested"));
        var noise = new byte[3 * ParallelGzipStream.DefaultChunkSize + 1234];
        random.NextBytes(noise);
        File.WriteAllBytes(Path.Combine(root, "lib", "noise.bin"), noise);
        File.WriteAllText(Path.Combine(root, "lib", "nested", "text.txt"), string.Concat(Enumerable.Range(0, 60_000).Select(i => $"line {i % 977} of a layer\n")));
        File.WriteAllText(Path.Combine(root, "app.json"), """{"name":"cross-architecture"}""");
        var tool = Path.Combine(root, "run");
        File.WriteAllText(tool, "#!/bin/sh\necho hi\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return root;
    }

    private static string WriteTool(string folder)
    {
        Directory.CreateDirectory(folder);
        var engine = RepositoryRoot.Combine("src", "Containers.Oci", "Containers.Oci.csproj");
        File.WriteAllText(Path.Combine(folder, "LayerDigest.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <InvariantGlobalization>true</InvariantGlobalization>
                <SelfContained>true</SelfContained>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{engine}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), """
            using Containers.Oci.Layers;
            // Writes the folder args[0] as a layer at /app into args[1]; prints the architecture, digest, diff id and size.
            var plan = new LayerPlanBuilder().AddDirectory(args[0], "/app").Build("app");
            var layer = await new LayerWriter(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)).WriteAsync(plan, args[1], CancellationToken.None);
            Console.WriteLine($"{System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture} {layer.Descriptor.Digest} {layer.DiffId} {layer.Descriptor.Size}");
            """);
        return Path.Combine(folder, "LayerDigest.csproj");
    }

    private static async Task<string> PublishAsync(string project, string rid, string output)
    {
        await ProcessRunner.RunAsync("dotnet", ["publish", project, "-c", "Release", "-r", rid, "-o", output, "-nologo", "-v:q", "-nodeReuse:false",
            "--artifacts-path", Path.Combine(Path.GetDirectoryName(output)!, "artifacts-" + rid)],
            new ProcessOptions { Timeout = TimeSpan.FromMinutes(5), Environment = DotnetEnvironment.Variables });
        return output;
    }
}
