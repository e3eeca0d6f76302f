using Containers.Cli.Build;
using Containers.Oci.Errors;

namespace Containers.Oci.Tests.Cli;

/// <summary>The app in a publish folder, as the build command infers its command (the targets' ContainerAppCommand).</summary>
public sealed class PublishedAppTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("containers-cli-app-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void App(string name, string runtimeOptions)
    {
        File.WriteAllText(Path.Combine(_folder, name + ".runtimeconfig.json"), "{\"runtimeOptions\":{" + runtimeOptions + "}}");
        File.WriteAllText(Path.Combine(_folder, name + ".deps.json"), "{}");
        File.WriteAllText(Path.Combine(_folder, name + ".dll"), "");
    }

    [Fact]
    public void AFrameworkDependentApp_StartsWithDotnet_AndItsAssembly()
    {
        App("Shop.Api", """ "tfm":"net10.0","framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"} """);

        var app = PublishedApp.Find(_folder)!;

        Assert.Equal(["dotnet", "/srv/app/Shop.Api.dll"], app.AppCommand("/srv/app"));
        Assert.Equal("10.0", app.FrameworkVersion);
        Assert.Equal(Path.Combine(_folder, "Shop.Api.deps.json"), app.DepsFile);
    }

    [Fact]
    public void ASelfContainedApp_StartsWithItsApphost()
    {
        App("tool", """ "tfm":"net10.0","includedFrameworks":[{"name":"Microsoft.NETCore.App","version":"10.0.0"}] """);

        Assert.Equal(["/app/tool"], PublishedApp.Find(_folder)!.AppCommand("/app/"));
    }

    [Fact]
    public void AFolderWithoutAnApp_HasNone_AndOneWithTwo_Is5701()
    {
        Assert.Null(PublishedApp.Find(_folder));
        App("One", """ "tfm":"net10.0" """);
        App("Two", """ "tfm":"net10.0" """);

        Assert.Equal(ErrorCatalogue.CliAppCommandUnknown, Assert.Throws<ContainerException>(() => PublishedApp.Find(_folder)).Error);
    }

    [Theory]
    [InlineData("net10.0", "10.0")]
    [InlineData("net8.0-windows", "8.0")]
    [InlineData("netcoreapp3.1", null)]
    [InlineData("netstandard2.0", null)]
    public void TheRuntimeVersionLabel_ComesFromTheTargetFramework(string tfm, string? version)
        => Assert.Equal(version, PublishedApp.FrameworkVersionOf(tfm));
}
