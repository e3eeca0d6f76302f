using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.EndToEnd;

/// <summary>User mistakes end in a coded error that says what to fix, before anything reaches a registry, never in a stack trace.</summary>
[Collection(RegistryCollection.Name)]
public sealed class InputErrorTests(RegistryFixture registry)
{
    [Theory]
    [InlineData("ContainerRepository=-leading-dash", "CONTAINER2005")]
    [InlineData("ContainerImageTag=.bad", "CONTAINER2007")]
    [InlineData("ContainerImageTags=ok%3Bnot ok", "CONTAINER2010")]
    [InlineData("ContainerBaseImage=Not A Reference", "CONTAINER2009")]
    [InlineData("ContainerRuntimeIdentifier=bogus", "CONTAINER5008")]
    [InlineData("ContainerWorkingDirectory=/app/../../x", "CONTAINER5400")]
    [InlineData("ContainerExtraDestinations=mirror.example.com/app:1.0", "CONTAINER5212")]
    public async Task BadInput_FailsWithItsCode_BeforeAnyNetworkCall(string property, string code)
    {
        using var project = await TestProject.FromSampleAsync("ConsoleApp");
        // A registry that refuses connections: reaching it would show as CONTAINER1017 instead of the input error.
        var closed = $"127.0.0.1:{FreePort.Next()}";

        var result = await project.PublishContainerAsync(
            [$"ContainerRegistry={closed}", $"ContainerBaseImage={closed}/dotnet/runtime:10.0", property], expectSuccess: false);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"error {code}:", result.StandardOutput);
        Assert.DoesNotContain("CONTAINER1017", result.StandardOutput);
        AssertNoStackTrace(result);
    }

    /// <summary>
    /// Issue 12: an escaped ';' split ContainerImageTags but not ContainerRuntimeIdentifiers, so this list was one RID
    /// and its mix of musl and glibc went unnoticed. Split, the inference sees both and refuses the mix before publishing.
    /// </summary>
    [Fact]
    public async Task EscapedSemicolons_SplitContainerRuntimeIdentifiers_AsTheySplitTags()
    {
        using var project = await TestProject.FromSampleAsync("ConsoleApp");
        var closed = $"127.0.0.1:{FreePort.Next()}";

        var result = await project.PublishContainerAsync(
            [$"ContainerRegistry={closed}", "ContainerRuntimeIdentifiers=linux-x64%3Blinux-musl-x64"], expectSuccess: false);

        Assert.Contains("error CONTAINER5006:", result.StandardOutput);
        Assert.Contains("linux-x64;linux-musl-x64", result.StandardOutput);
        AssertNoStackTrace(result);
    }

    /// <summary>Issue 12: PublishContainer for a project that is not publishable did nothing, without a word (CONTAINER5502).</summary>
    [Fact]
    public async Task ANonPublishableProject_WarnsThatNoImageIsBuilt_AndSendsNothing()
    {
        using var project = await TestProject.FromSampleAsync("ConsoleApp");
        var closed = $"127.0.0.1:{FreePort.Next()}";

        var result = await project.PublishContainerAsync(
            [$"ContainerRegistry={closed}", $"ContainerBaseImage={closed}/dotnet/runtime:10.0", "IsPublishable=false"]);

        Assert.Contains("warning CONTAINER5502:", result.StandardOutput);
        Assert.DoesNotContain("CONTAINER1017", result.StandardOutput);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task UnreachableRegistry_GivesACodedErrorNamingIt()
    {
        using var project = await TestProject.FromSampleAsync("ConsoleApp");
        var closed = $"127.0.0.1:{FreePort.Next()}";

        var result = await project.PublishContainerAsync(
            [$"ContainerRegistry={closed}", $"ContainerBaseImage={closed}/dotnet/runtime:10.0"], expectSuccess: false);

        Assert.Contains("error CONTAINER1017:", result.StandardOutput);
        Assert.Contains(closed, result.StandardOutput);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task MissingBaseImage_NamesTheImage_AndPushesNothing()
    {
        await registry.EnsureBaseImagesAsync();
        using var project = await TestProject.FromSampleAsync("ConsoleApp");
        var repository = RegistryFixture.UniqueRepository("nobase");

        var result = await project.PublishContainerAsync(
            [$"ContainerRegistry={registry.Registry}", $"ContainerRepository={repository}", $"ContainerBaseImage={registry.Registry}/dotnet/nothing-here:10.0"], expectSuccess: false);

        Assert.Contains("error CONTAINER1015:", result.StandardOutput);
        Assert.Contains("dotnet/nothing-here", result.StandardOutput);
        var tags = await Skopeo.RunAsync("list-tags", "--tls-verify=false", $"docker://{registry.Registry}/{repository}").ContinueWith(t => t.Exception is null ? t.Result.StandardOutput : "");
        Assert.DoesNotContain("latest", tags);
        AssertNoStackTrace(result);
    }

    private static void AssertNoStackTrace(ProcessResult result)
    {
        Assert.DoesNotContain("MSB4018", result.StandardOutput);
        Assert.DoesNotContain("   at ", result.StandardOutput);
        Assert.DoesNotContain("CONTAINER5999", result.StandardOutput);
    }
}
