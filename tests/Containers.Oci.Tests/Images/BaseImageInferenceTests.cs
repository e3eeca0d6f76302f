using Containers.Oci.Errors;
using Containers.Oci.Images;

namespace Containers.Oci.Tests.Images;

/// <summary>
/// The SDK's base image rules. Every stable-SDK row was also checked by hand against the built-in of SDK 10.0.401
/// (dotnet msbuild -t:ComputeContainerBaseImage -getProperty:ContainerBaseImage on a throwaway project).
/// </summary>
public class BaseImageInferenceTests
{
    private const string StableSdk = "10.0.401";

    [Flags]
    public enum Traits
    {
        None = 0,
        Web = 1,
        SelfContained = 2,
        Aot = 4,
        Trimmed = 8,
        Invariant = 16,
    }

    private static ProjectTraits Project(Traits traits, string tfm = "10.0", string sdk = StableSdk, string? rid = "linux-x64", string? family = null) => new()
    {
        SdkVersion = sdk,
        TargetFrameworkVersion = tfm,
        IsAspNetCore = traits.HasFlag(Traits.Web),
        IsSelfContained = traits.HasFlag(Traits.SelfContained),
        IsAot = traits.HasFlag(Traits.Aot),
        IsTrimmed = traits.HasFlag(Traits.Trimmed),
        UsesInvariantGlobalization = traits.HasFlag(Traits.Invariant),
        RuntimeIdentifiers = rid is null ? [] : rid.Split(';'),
        ContainerFamily = family,
    };

    // AOT and trimmed rows are self-contained: the SDK makes PublishAot with a runtime identifier self-contained.
    [Theory]
    [InlineData(Traits.None, "linux-x64", null, "runtime:10.0")]
    [InlineData(Traits.Web, "linux-x64", null, "aspnet:10.0")]
    [InlineData(Traits.Web | Traits.SelfContained, "linux-x64", null, "runtime-deps:10.0")]
    [InlineData(Traits.SelfContained, "linux-x64", null, "runtime-deps:10.0")]
    [InlineData(Traits.SelfContained | Traits.Aot, "linux-x64", null, "runtime-deps:10.0-noble-chiseled-extra")]
    [InlineData(Traits.SelfContained | Traits.Aot | Traits.Invariant, "linux-x64", null, "runtime-deps:10.0-noble-chiseled")]
    [InlineData(Traits.SelfContained | Traits.Trimmed, "linux-x64", null, "runtime-deps:10.0-noble-chiseled-extra")]
    [InlineData(Traits.SelfContained | Traits.Trimmed | Traits.Invariant, "linux-x64", null, "runtime-deps:10.0-noble-chiseled")]
    [InlineData(Traits.None, "linux-musl-x64", null, "runtime:10.0-alpine")]
    [InlineData(Traits.SelfContained | Traits.Aot, "linux-musl-x64", null, "runtime-deps:10.0-alpine-extra")]
    [InlineData(Traits.SelfContained | Traits.Aot | Traits.Invariant, "linux-musl-x64", null, "runtime-deps:10.0-alpine")]
    [InlineData(Traits.SelfContained | Traits.Trimmed, "linux-musl-arm64", null, "runtime-deps:10.0-alpine-extra")]
    [InlineData(Traits.None, "linux-x64", "noble-chiseled", "runtime:10.0-noble-chiseled-extra")]
    [InlineData(Traits.Invariant, "linux-x64", "noble-chiseled", "runtime:10.0-noble-chiseled")]
    [InlineData(Traits.Web, "linux-x64", "alpine", "aspnet:10.0-alpine")]
    [InlineData(Traits.Web, "linux-musl-x64", "noble-chiseled", "aspnet:10.0-noble-chiseled")]
    [InlineData(Traits.None, "linux-x64", "noble", "runtime:10.0-noble")]
    [InlineData(Traits.None, "linux-musl-x64;linux-musl-arm64", null, "runtime:10.0-alpine")]
    [InlineData(Traits.None, null, null, "runtime:10.0")]
    public void Infer_StableSdk_Tfm10(Traits traits, string? rid, string? family, string expected)
        => Assert.Equal("mcr.microsoft.com/dotnet/" + expected, BaseImageInference.Infer(Project(traits, rid: rid, family: family)));

    [Theory]
    [InlineData("9.0", Traits.None, "runtime:9.0")]
    [InlineData("9.0", Traits.Web, "aspnet:9.0")]
    [InlineData("8.0", Traits.SelfContained | Traits.Aot, "runtime-deps:8.0-noble-chiseled-extra")]
    [InlineData("7.0", Traits.None, "runtime:7.0")]
    [InlineData("7.0", Traits.SelfContained | Traits.Aot, "runtime-deps:7.0")]
    [InlineData("6.0", Traits.Web | Traits.SelfContained | Traits.Trimmed, "runtime-deps:6.0")]
    public void Infer_AnOlderTfm_UsesTheTfmsVersion(string tfm, Traits traits, string expected)
        => Assert.Equal("mcr.microsoft.com/dotnet/" + expected, BaseImageInference.Infer(Project(traits, tfm: tfm)));

    [Fact]
    public void Infer_TfmBefore8_HasNoChiseledOrExtraVariants_ButMuslStillGetsAlpine()
    {
        Assert.Equal("mcr.microsoft.com/dotnet/runtime-deps:7.0-alpine",
            BaseImageInference.Infer(Project(Traits.SelfContained | Traits.Aot, tfm: "7.0", rid: "linux-musl-x64")));
        Assert.Equal("mcr.microsoft.com/dotnet/runtime:7.0-jammy-chiseled",
            BaseImageInference.Infer(Project(Traits.None, tfm: "7.0", family: "jammy-chiseled")));
    }

    [Theory]
    [InlineData("10.0.100-preview.7.25380.108", Traits.None, null, "runtime:10.0.0-preview.7")]
    [InlineData("10.0.100-rc.1.25451.107", Traits.Web, null, "aspnet:10.0.0-rc.1")]
    [InlineData("10.0.100-rc.2.25502.107", Traits.SelfContained | Traits.Aot, null, "runtime-deps:10.0.0-rc.2-noble-chiseled-extra")]
    [InlineData("10.0.100-alpha.1", Traits.None, null, "runtime:10.0-preview")]
    [InlineData("10.0.100-dev", Traits.None, null, "runtime:10.0-preview")]
    [InlineData("10.0.100-rtm.25515.1", Traits.None, null, "runtime:10.0")]
    [InlineData("10.0.200-preview.1.26000.1", Traits.None, null, "runtime:10.0")]
    [InlineData("10.0.100-preview.7.25380.108", Traits.None, "noble-chiseled", "runtime:10.0.0-preview.7-noble-chiseled")]
    [InlineData("10.0.100-rc.1.25451.107+abcdef", Traits.None, null, "runtime:10.0.0-rc.1")]
    public void Infer_PrereleaseSdk_UsesItsChannelTag(string sdk, Traits traits, string? family, string expected)
        => Assert.Equal("mcr.microsoft.com/dotnet/" + expected, BaseImageInference.Infer(Project(traits, sdk: sdk, family: family)));

    [Fact]
    public void Infer_PrereleaseSdk_ForAnOlderTfm_UsesTheStableTfmTag()
        => Assert.Equal("mcr.microsoft.com/dotnet/runtime:9.0", BaseImageInference.Infer(Project(Traits.None, tfm: "9.0", sdk: "10.0.100-preview.7.25380.108")));

    [Theory]
    [InlineData("10.0.100-beta.1")]
    [InlineData("10.0.100-preview")]
    [InlineData("10.0.100-rc")]
    public void Infer_UnknownOrIncompleteChannel_ThrowsCodedError2018(string sdk)
        => Assert.Equal("CONTAINER2018", Assert.Throws<ContainerException>(() => BaseImageInference.Infer(Project(Traits.None, sdk: sdk))).Code);

    [Theory]
    [InlineData("")]
    [InlineData("ten")]
    [InlineData("10")]
    public void Infer_InvalidSdkVersion_ThrowsCodedError2019(string sdk)
        => Assert.Equal("CONTAINER2019", Assert.Throws<ContainerException>(() => BaseImageInference.Infer(Project(Traits.None, sdk: sdk))).Code);

    [Fact]
    public void Infer_MixedMuslAndGlibcRuntimeIdentifiers_ThrowsCodedError5006()
    {
        var error = Assert.Throws<ContainerException>(() => BaseImageInference.Infer(Project(Traits.None, rid: "linux-musl-x64;linux-x64")));

        Assert.Equal("CONTAINER5006", error.Code);
        Assert.Contains("linux-musl-x64;linux-x64", error.Message);
    }

    [Theory]
    [InlineData("myregistry.example.com")]
    [InlineData("myregistry.example.com/")]
    public void Infer_ACustomRegistry_ReplacesMcr(string registry)
        => Assert.Equal("myregistry.example.com/dotnet/aspnet:10.0", BaseImageInference.Infer(Project(Traits.Web), registry));

    [Theory]
    [InlineData("10.0.401", 10, 0, 401, "")]
    [InlineData("10.0.100-preview.7.25380.108", 10, 0, 100, "preview.7.25380.108")]
    [InlineData("9.0", 9, 0, 0, "")]
    [InlineData("10.0.100-rc.1+build.5", 10, 0, 100, "rc.1")]
    public void SdkVersion_Parse_SplitsTheVersionAndItsLabels(string text, int major, int minor, int patch, string labels)
    {
        var version = SdkVersion.Parse(text);

        Assert.Equal((major, minor, patch), (version.Major, version.Minor, version.Patch));
        Assert.Equal(labels, string.Join('.', version.PrereleaseLabels));
        Assert.Equal(labels.Length > 0, version.IsPrerelease);
    }
}
