using Containers.Build.Tasks;
using Containers.Oci.Publishing;

namespace Containers.Build.Tests;

public sealed class PlatformBuildsTests
{
    private static readonly ContainerSettings Outer = new()
    {
        BaseImage = "registry.example.com/dotnet/runtime:10.0",
        RuntimeIdentifier = "",
        Repository = "app",
        PublishDirectory = "/outer/publish",
        WorkingDirectory = "/app/",
        IntermediateDirectory = "/outer/obj",
        AppCommand = ["dotnet", "/app/app.dll"],
        Labels = [new("org.opencontainers.image.base.name", "registry.example.com/dotnet/runtime:10.0"), new("team", "a")],
    };

    [Fact]
    public void A_platform_build_replaces_what_differs_per_platform_and_keeps_the_rest()
    {
        var build = new ContainerPlatformBuild
        {
            RuntimeIdentifier = "linux-arm64",
            PublishDirectory = "/arm64/publish",
            IntermediateDirectory = "/arm64/obj",
            BaseImage = "registry.example.com/dotnet/runtime-deps:10.0",
            AppCommand = ["/app/app"],
        };

        var applied = PlatformBuilds.Apply(Outer, build);

        Assert.Equal(("linux-arm64", "/arm64/publish", "/arm64/obj"), (applied.RuntimeIdentifier, applied.PublishDirectory, applied.IntermediateDirectory));
        Assert.Equal("registry.example.com/dotnet/runtime-deps:10.0", applied.BaseImage);
        Assert.Equal(["/app/app"], applied.AppCommand);
        Assert.Equal([new("org.opencontainers.image.base.name", "registry.example.com/dotnet/runtime-deps:10.0"), new KeyValuePair<string, string>("team", "a")], applied.Labels);
        Assert.Equal(Outer.Repository, applied.Repository);
    }

    [Fact]
    public void A_platform_without_its_own_base_keeps_the_outer_one()
    {
        var applied = PlatformBuilds.Apply(Outer, new ContainerPlatformBuild { RuntimeIdentifier = "linux-x64", PublishDirectory = "/x", IntermediateDirectory = "/o" });

        Assert.Equal(Outer.BaseImage, applied.BaseImage);
        Assert.Equal(Outer.BaseImage, applied.Labels[0].Value);
    }
}
