using Containers.Cli.Build;
using Containers.Cli.Commands;
using Containers.Oci.Errors;
using Containers.Oci.Model;

namespace Containers.Oci.Tests.Cli;

/// <summary>The build options that are written as small languages: NAME=VALUE, PORT/TYPE, layer specs, platforms.</summary>
public sealed class OptionValuesTests
{
    [Fact]
    public void APair_SplitsAtTheFirstEquals()
        => Assert.Equal(KeyValuePair.Create("URL", "http://x/?a=b"), OptionValues.Pair("URL=http://x/?a=b", "--env"));

    [Fact]
    public void APort_TakesAnOptionalType()
    {
        Assert.Equal(("8080", (string?)null), OptionValues.Port("8080"));
        Assert.Equal(("53", (string?)"udp"), OptionValues.Port("53/udp"));
    }

    [Fact]
    public void ALayer_HasItsTarget_AndOptionalModeAndOwner_AndNothingElse()
    {
        Assert.Equal(("/work/tools/run.sh", (string?)"/usr/local/bin/run", (string?)"0755", (string?)"1000:1000"),
            OptionValues.Layer("tools/run.sh=/usr/local/bin/run,mode=0755,owner=1000:1000", "/work"));
        Assert.Equal(ErrorCatalogue.CliUsage, Assert.Throws<ContainerException>(() => OptionValues.Layer("a=/b,colour=red", "/work")).Error);
    }

    [Theory]
    [InlineData("linux/amd64", "linux-x64")]
    [InlineData("linux/arm64/v8", "linux-arm64")]
    [InlineData("linux/arm/v7", "linux-arm")]
    [InlineData("linux-musl-x64", "linux-musl-x64")]
    public void APlatform_BecomesTheRuntimeIdentifierTheBuildSpeaks(string platform, string rid)
        => Assert.Equal(rid, PlatformOption.RuntimeIdentifier(platform, "build"));

    [Fact]
    public void APlatform_ForCopy_IsOsArchVariant()
        => Assert.Equal(new Platform("arm", "linux", "v7"), PlatformOption.Parse("linux/arm/v7", "copy"));
}
