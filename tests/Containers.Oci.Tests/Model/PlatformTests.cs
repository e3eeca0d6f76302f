using Containers.Oci.Model;

namespace Containers.Oci.Tests.Model;

public class PlatformTests
{
    [Theory]
    [InlineData("linux-x64", "linux/amd64")]
    [InlineData("linux-arm64", "linux/arm64/v8")]
    [InlineData("linux-arm", "linux/arm/v7")]
    [InlineData("linux-musl-x64", "linux/amd64")]
    [InlineData("linux-musl-arm", "linux/arm/v7")]
    [InlineData("linux-musl-arm64", "linux/arm64/v8")]
    [InlineData("linux-x86", "linux/386")]
    [InlineData("linux-s390x", "linux/s390x")]
    [InlineData("linux-ppc64le", "linux/ppc64le")]
    [InlineData("linux-loongarch64", "linux/loong64")]
    [InlineData("linux-riscv64", "linux/riscv64")]
    [InlineData("win-x64", "windows/amd64")]
    [InlineData("win-arm64", "windows/arm64/v8")]
    public void TryFromRuntimeIdentifier_MapsToTheOciPlatform(string rid, string expected)
    {
        Assert.True(Platform.TryFromRuntimeIdentifier(rid, out var platform));
        Assert.Equal(expected, platform.ToString());
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("")]
    [InlineData("-x64")]
    [InlineData("osx-arm64")]
    [InlineData("linux-bogus")]
    [InlineData("linux-")]
    [InlineData("freebsd-x64")]
    public void TryFromRuntimeIdentifier_UnknownOsOrArchitecture_ReturnsFalse(string rid)
        => Assert.False(Platform.TryFromRuntimeIdentifier(rid, out _));

    [Fact]
    public void IsSatisfiedBy_AMissingVariantOnEitherSide_Matches_ButADifferentVariantDoesNot()
    {
        var arm64v8 = new Platform("arm64", "linux", "v8");

        Assert.True(arm64v8.IsSatisfiedBy(new Platform("arm64", "linux")));
        Assert.True(new Platform("arm64", "linux").IsSatisfiedBy(arm64v8));
        Assert.True(arm64v8.IsSatisfiedBy(new Platform("arm64", "linux", "v8")));
        Assert.False(new Platform("arm", "linux", "v7").IsSatisfiedBy(new Platform("arm", "linux", "v6")));
        Assert.False(arm64v8.IsSatisfiedBy(new Platform("arm64", "windows", "v8")));
        Assert.False(arm64v8.IsSatisfiedBy(new Platform("amd64", "linux")));
    }

    [Fact]
    public void Serialize_OmitsAMissingVariant_AndUsesOciPropertyNames()
    {
        Assert.Equal("""{"architecture":"amd64","os":"linux"}""", System.Text.Encoding.UTF8.GetString(OciJson.Serialize(new Platform("amd64", "linux"))));
        Assert.Equal("""{"architecture":"arm64","os":"linux","variant":"v8"}""", System.Text.Encoding.UTF8.GetString(OciJson.Serialize(new Platform("arm64", "linux", "v8"))));
    }
}
