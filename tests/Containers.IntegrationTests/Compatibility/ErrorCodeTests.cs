using Containers.IntegrationTests.Infrastructure;
using static Containers.IntegrationTests.Compatibility.MSBuildXml;

namespace Containers.IntegrationTests.Compatibility;

/// <summary>
/// Every code a user can cause, triggered through MSBuild as a user would, with its code checked and nothing pushed.
/// Input mistakes point at a registry nobody listens on: reaching it would show as CONTAINER1017 instead, so these also
/// prove that input is checked before any network call. Mistakes that need a registry's answer use the suite's own
/// registry and a repository no one else uses, and check that it has no tags afterwards.
/// </summary>
[Collection(CompatibilityCollection.Name)]
public sealed class ErrorCodeTests(CompatibilityFixture fixture)
{
    public static IReadOnlyList<Mistake> InputMistakes { get; } =
    [
        new("CONTAINER2005", "repository starting with a dash", Properties(("ContainerRepository", "-starts-with-a-dash"))),
        new("CONTAINER2007", "tag starting with a dot", Properties(("ContainerImageTag", ".starts-with-a-dot"))),
        new("CONTAINER2008", "tag and tags", Properties(("ContainerImageTag", "1.0"), ("ContainerImageTags", "1.0;latest"))),
        new("CONTAINER2009", "base image with two tags", Properties(("ContainerBaseImage", "localhost:1/Not:A:Reference"))),
        new("CONTAINER2009", "base image with a space", Properties(("ContainerBaseImage", "localhost:1/dotnet/runtime:10.0 -alpine"))),
        new("CONTAINER2010", "tags with a space", Properties(("ContainerImageTags", "ok;not ok"))),
        new("CONTAINER2017", "port that is not a number", Items("""<ContainerPort Include="http" Type="tcp" />""")),
        new("CONTAINER2017", "port type sctp", Items("""<ContainerPort Include="8080" Type="sctp" />""")),
        new("CONTAINER2021", "unknown instruction", Properties(("ContainerAppCommandInstruction", "Sometimes"))),
        new("CONTAINER2024", "entrypoint args without entrypoint", Properties(("ContainerAppCommandInstruction", "DefaultArgs")) + Items("""<ContainerEntrypointArgs Include="--x" />""")),
        new("CONTAINER2025", "app command args without app command", Properties(("ContainerAppCommandInstruction", "None")) + Items("""<ContainerAppCommandArgs Include="--x" />""")),
        new("CONTAINER2026", "app command with None", Properties(("ContainerAppCommandInstruction", "None")) + Items("""<ContainerAppCommand Include="/app/ConsoleApp" />""")),
        new("CONTAINER2028", "entrypoint with Entrypoint", Properties(("ContainerAppCommandInstruction", "Entrypoint")) + Items("""<ContainerEntrypoint Include="/bin/sh" />""")),
        new("CONTAINER2031", "image format Zip", Properties(("ContainerImageFormat", "Zip"))),
        new("CONTAINER5002", "relative working directory", Properties(("ContainerWorkingDirectory", "relative/app"))),
        new("CONTAINER5007", "image time yesterday", Properties(("ContainerImageCreated", "yesterday"))),
        new("CONTAINER5008", "unknown runtime identifier", Properties(("ContainerRuntimeIdentifier", "amiga-68k"))),
    ];

    /// <summary>Mistakes found while choosing the base image, so the base image is left to inference.</summary>
    public static IReadOnlyList<Mistake> InferenceMistakes { get; } =
    [
        new("CONTAINER2018", "beta SDK", Properties(("NETCoreSdkVersion", "10.0.100-beta.1"))),
        new("CONTAINER2019", "SDK version ten", Properties(("NETCoreSdkVersion", "ten"))),
        new("CONTAINER5006", "musl and glibc", Properties(("ContainerRuntimeIdentifiers", "linux-x64;linux-musl-x64"))),
    ];

    /// <summary>Warnings about input: reported, and the publish goes on (here to the closed registry, so it ends in 1017).</summary>
    public static IReadOnlyList<Mistake> InputWarnings { get; } =
    [
        new("CONTAINER003", "ContainerImageName", Properties(("ContainerImageName", "compat/legacy-name"))),
        new("CONTAINER2013", "repository with spaces", Properties(("ContainerRepository", "Has Spaces"))),
        new("CONTAINER2015", "variable with a dash", Items("""<ContainerEnvironmentVariable Include="NOT-VALID" Value="x" />""")),
        new("CONTAINER2029", "entrypoint args alone", Items("""<ContainerEntrypointArgs Include="--legacy" />""")),
        new("CONTAINER2030", "digest label with labels off", Properties(("ContainerGenerateLabels", "false"), ("ContainerGenerateLabelsImageBaseDigest", "true"))),
    ];

    public static TheoryData<string, string> InputMistakeCases() => Cases(InputMistakes);
    public static TheoryData<string, string> InferenceMistakeCases() => Cases(InferenceMistakes);
    public static TheoryData<string, string> InputWarningCases() => Cases(InputWarnings);

    [Theory]
    [MemberData(nameof(InputMistakeCases))]
    public async Task InputMistake_FailsWithItsCode_BeforeAnyNetworkCall(string code, string mistake)
    {
        var settings = SettingsOf(InputMistakes, mistake);
        var closed = ClosedRegistry();

        var run = await PublishAsync(settings, closed, $"{closed}/dotnet/runtime:10.0");

        AssertFailedWith(run, code);
        Assert.DoesNotContain("CONTAINER1017", run.Log);
    }

    [Theory]
    [MemberData(nameof(InferenceMistakeCases))]
    public async Task InferenceMistake_FailsWithItsCode_BeforeAnyNetworkCall(string code, string mistake)
    {
        var settings = SettingsOf(InferenceMistakes, mistake);
        var run = await PublishAsync(settings, ClosedRegistry(), baseImage: null);

        AssertFailedWith(run, code);
        Assert.DoesNotContain("CONTAINER1017", run.Log);
    }

    [Theory]
    [MemberData(nameof(InputWarningCases))]
    public async Task InputWarning_IsReported_AndThePublishGoesOn(string code, string mistake)
    {
        var settings = SettingsOf(InputWarnings, mistake);
        var closed = ClosedRegistry();

        var run = await PublishAsync(settings, closed, $"{closed}/dotnet/runtime:10.0");

        Assert.Contains($"warning {code}", run.Diagnostics);
        AssertFailedWith(run, "CONTAINER1017");
    }

    [Fact]
    public async Task InvalidRegistryName_FailsWith2012()
    {
        var run = await PublishAsync("", "not a registry!", $"{ClosedRegistry()}/dotnet/runtime:10.0");

        AssertFailedWith(run, "CONTAINER2012");
    }

    /// <summary>Warned as the inputs are read; a later input mistake then stops the publish before it tries Docker Hub.</summary>
    [Fact]
    public async Task BaseImageWithoutARegistry_Warns2020()
    {
        var run = await PublishAsync(Properties(("ContainerBaseImage", "dotnet/runtime:10.0"), ("ContainerWorkingDirectory", "relative")), ClosedRegistry(), baseImage: null);

        Assert.Contains("warning CONTAINER2020", run.Diagnostics);
        Assert.Contains("docker.io/dotnet/runtime:10.0", run.Log);
        AssertFailedWith(run, "CONTAINER5002");
    }

    [Fact]
    public async Task MalformedSourceDateEpoch_FailsWith5010()
    {
        var closed = ClosedRegistry();

        var run = await PublishAsync("", closed, $"{closed}/dotnet/runtime:10.0", new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "next tuesday" });

        AssertFailedWith(run, "CONTAINER5010");
    }

    [Fact]
    public async Task UnreachableRegistry_FailsWith1017_NamingIt()
    {
        var closed = ClosedRegistry();

        var run = await PublishAsync("", closed, $"{closed}/dotnet/runtime:10.0");

        AssertFailedWith(run, "CONTAINER1017");
        Assert.Contains(closed, run.Log);
    }

    [Fact]
    public async Task PublishFolderMissing_FailsWith2011()
    {
        var project = await fixture.NewProjectAsync(AppKind.Console);
        var closed = ClosedRegistry();

        var run = await project.RunAsync("PublishContainer", null, [$"ContainerRegistry={closed}", $"ContainerBaseImage={closed}/dotnet/runtime:10.0"], [], [], restore: true);

        AssertFailedWith(run, "CONTAINER2011");
    }

    [Fact]
    public async Task SeveralTargetFrameworks_FailWithCONTAINERS0666_InsteadOfPublishingNothing()
    {
        var project = await fixture.NewProjectAsync(AppKind.Console, new Dictionary<string, string> { ["TargetFramework"] = "", ["TargetFrameworks"] = "net10.0" });

        var run = await project.RunAsync("PublishContainer", null, [$"ContainerRegistry={ClosedRegistry()}"], [], [], restore: true);

        AssertFailedWith(run, "CONTAINERS0666");
        Assert.Contains("-f net10.0", run.Log);
    }

    [Fact]
    public async Task SeveralTargetFrameworks_StillListAndPruneTheContentCache()
    {
        var project = await fixture.NewProjectAsync(AppKind.Console, new Dictionary<string, string> { ["TargetFramework"] = "", ["TargetFrameworks"] = "net10.0" });
        using var cache = new TempDirectory("containers-it-cache-");
        Directory.CreateDirectory(Path.Combine(cache.Path, "blobs", "sha256"));
        var blob = "a blob"u8.ToArray();
        await File.WriteAllBytesAsync(Path.Combine(cache.Path, "blobs", "sha256", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(blob))), blob);

        var run = await project.RunAsync("ContainerCacheList;ContainerCachePrune", null, [$"ContainerCacheDirectory={cache.Path}", "ContainerCachePruneMaxSize=1B"], [], [], restore: true);

        Assert.True(run.Succeeded, run.Log);
        Assert.Contains($"Content cache '{cache.Path}': 1 blob(s)", run.Log);
        Assert.Contains("Removed 1 blob(s)", run.Log);
        Assert.Empty(Directory.GetFiles(Path.Combine(cache.Path, "blobs", "sha256")));
    }

    [Fact]
    public async Task MissingBaseImage_FailsWith1015_AndPushesNothing()
    {
        var registry = fixture.Registry(Tool.Ours).Address;
        var repository = RegistryFixture.UniqueRepository("missing-base");

        var run = await PublishAsync(Properties(("ContainerRepository", repository)), registry, $"{registry}/dotnet/no-such-image:10.0");

        AssertFailedWith(run, "CONTAINER1015");
        Assert.Contains("dotnet/no-such-image", run.Log);
        Assert.Empty(await RegistryReader.TagsAsync(registry, repository));
    }

    [Fact]
    public async Task BaseImageWithoutThePlatform_FailsWith1011_AndPushesNothing()
    {
        var registry = fixture.Registry(Tool.Ours).Address;
        var repository = RegistryFixture.UniqueRepository("no-arm64");

        var run = await PublishAsync(Properties(("ContainerRepository", repository), ("ContainerRuntimeIdentifier", "linux-arm64")), registry,
            $"{registry}/dotnet/runtime:{CompatibilityFixture.IndexTag}");

        AssertFailedWith(run, "CONTAINER1011");
        Assert.Contains("linux-arm64", run.Log);
        Assert.Empty(await RegistryReader.TagsAsync(registry, repository));
    }

    [Fact]
    public async Task RegistryThatWantsCredentials_FailsWith1016_AndPushesNothing()
    {
        using var folder = new TempDirectory("containers-compat-auth-");
        var htpasswd = await ProcessRunner.RunAsync("htpasswd", "-nbB", "someone", "secret");
        var file = folder.Combine("htpasswd");
        await File.WriteAllTextAsync(file, htpasswd.StandardOutput);
        await using var locked = await ScratchRegistry.StartAsync("--htpasswd", file);
        var repository = RegistryFixture.UniqueRepository("denied");

        var run = await PublishAsync(Properties(("ContainerRepository", repository)), locked.Address, $"{locked.Address}/dotnet/runtime:10.0",
            new Dictionary<string, string?> { ["DOCKER_CONFIG"] = folder.Path, ["REGISTRY_AUTH_FILE"] = folder.Combine("auth.json"), ["XDG_RUNTIME_DIR"] = folder.Path });

        AssertFailedWith(run, "CONTAINER1016");
        Assert.Contains(locked.Address, run.Log);
    }

    [Fact]
    public async Task BaseImageThatIsNotAnImage_FailsWith2001()
    {
        await using var odd = new FakeRegistry(_ => (200, "application/vnd.example.not-an-image+json", """{"schemaVersion":2}"""));

        var run = await PublishAsync("", ClosedRegistry(), $"{odd.Address}/some/artifact:1.0");

        AssertFailedWith(run, "CONTAINER2001");
        Assert.Contains("application/vnd.example.not-an-image+json", run.Log);
    }

    [Fact]
    public async Task BaseImageEntrypointReplaced_Warns2022_AndThePublishGoesOn()
    {
        var registry = fixture.Registry(Tool.Ours).Address;

        var run = await PublishAsync("", ClosedRegistry(), $"{registry}/dotnet/runtime-custom:10.0");

        Assert.Contains("warning CONTAINER2022", run.Diagnostics);
        AssertFailedWith(run, "CONTAINER1017");
    }

    /// <summary>docs/compatibility.md#port-type-any-case: the built-in's CONTAINER2017 for 'TCP' is not one of ours.</summary>
    [Fact]
    public async Task PortTypeInUpperCase_IsNotAMistake()
    {
        var registry = fixture.Registry(Tool.Ours).Address;
        var repository = RegistryFixture.UniqueRepository("port-case");

        var run = await PublishAsync(Properties(("ContainerRepository", repository)) + Items("""<ContainerPort Include="7000" Type="TCP" />""", """<ContainerPort Include="7001" Type="Udp" />"""),
            registry, $"{registry}/dotnet/runtime:10.0");

        Assert.True(run.Succeeded, run.Log);
        var (manifest, _) = await RegistryReader.ManifestAsync(registry, repository, "latest");
        var ports = (await RegistryReader.ConfigAsync(registry, repository, manifest))["config"]!["ExposedPorts"]!.AsObject().Select(p => p.Key);
        Assert.Equal(["7000/tcp", "7001/udp", "8080/tcp"], ports.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Runs the container targets on the published console app. The base image goes into the settings file after the
    /// case's own settings, only if they do not set one: a global property would override theirs.
    /// </summary>
    private async Task<MSBuildRun> PublishAsync(string settings, string registry, string? baseImage, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var project = await fixture.PublishedConsoleAppAsync();
        using var folder = new TempDirectory("containers-compat-settings-");
        var file = folder.Combine("settings.props");
        var fallback = baseImage is null ? "" : $"  <PropertyGroup>\n    <ContainerBaseImage Condition=\"'$(ContainerBaseImage)' == ''\">{baseImage}</ContainerBaseImage>\n  </PropertyGroup>\n";
        await File.WriteAllTextAsync(file, $"<Project>\n{settings}{fallback}</Project>\n");
        return await project.RunAsync("PublishContainer", file, [$"ContainerRegistry={registry}"], [], [], environment);
    }

    private static TheoryData<string, string> Cases(IEnumerable<Mistake> mistakes)
    {
        var data = new TheoryData<string, string>();
        foreach (var m in mistakes) data.Add(m.Code, m.Name);
        return data;
    }

    private static string SettingsOf(IEnumerable<Mistake> mistakes, string name) => mistakes.Single(m => m.Name == name).Settings;

    /// <summary>A loopback address nothing listens on.</summary>
    private static string ClosedRegistry() => $"127.0.0.1:{FreePort.Next()}";

    private static void AssertFailedWith(MSBuildRun run, string code)
    {
        Assert.False(run.Succeeded, $"expected {code}, but the build succeeded:\n{run.Log}");
        Assert.Contains($"error {code}", run.Diagnostics);
        Assert.DoesNotContain("error MSB4018", run.Diagnostics);
        Assert.DoesNotContain("CONTAINER5999", run.Log);
        Assert.DoesNotContain("   at ", run.Log);
        Assert.DoesNotContain("Pushed ", run.Log);
    }
}

/// <summary>A mistake a user can write in a project file, and the code it must give.</summary>
public sealed record Mistake(string Code, string Name, string Settings);
