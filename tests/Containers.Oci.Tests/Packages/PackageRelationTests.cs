using Containers.Oci.Packages;

namespace Containers.Oci.Tests.Packages;

public sealed class PackageRelationTests
{
    [Fact]
    public void ParseList_ReadsAlternativesVersionsAndQualifiers()
    {
        var list = PackageRelation.ParseList("libc6 (>= 2.34), libgcc-s1 (>= 3.0) | libgcc1, python3:any, debconf (>= 0.5) | debconf-2.0");

        Assert.Equal(4, list.Count);
        Assert.Equal(new PackageRelation("libc6", VersionOperator.LaterOrEqual, "2.34"), list[0][0]);
        Assert.Equal(["libgcc-s1", "libgcc1"], list[1].Select(r => r.Name));
        Assert.Equal(new PackageRelation("python3", ArchQualifier: "any"), list[2][0]);
        Assert.Equal("debconf-2.0", list[3][1].Name);
    }

    [Theory]
    [InlineData("a (<< 2)", VersionOperator.Earlier)]
    [InlineData("a (<= 2)", VersionOperator.EarlierOrEqual)]
    [InlineData("a (< 2)", VersionOperator.EarlierOrEqual)]    // obsolete spelling, read as dpkg reads it
    [InlineData("a (= 2)", VersionOperator.Equal)]
    [InlineData("a (>= 2)", VersionOperator.LaterOrEqual)]
    [InlineData("a (> 2)", VersionOperator.LaterOrEqual)]
    [InlineData("a (>>2)", VersionOperator.Later)]
    public void ParseOne_ReadsEachOperator(string text, VersionOperator expected)
        => Assert.Equal(expected, PackageRelation.ParseOne(text)!.Operator);

    [Fact]
    public void ParseOne_DropsArchitectureListsAndBuildProfiles()
        => Assert.Equal(new PackageRelation("gcc", VersionOperator.LaterOrEqual, "4"), PackageRelation.ParseOne("gcc (>= 4) [amd64 arm64] <!nocheck>"));

    [Theory]
    [InlineData(VersionOperator.Earlier, "1.9", true)]
    [InlineData(VersionOperator.Earlier, "2.0", false)]
    [InlineData(VersionOperator.EarlierOrEqual, "2.0", true)]
    [InlineData(VersionOperator.Equal, "2.0", true)]
    [InlineData(VersionOperator.Equal, "2.0-1", false)]
    [InlineData(VersionOperator.LaterOrEqual, "2.0~rc1", false)]
    [InlineData(VersionOperator.Later, "2.0.1", true)]
    public void Accepts_ComparesDebianVersions(VersionOperator op, string version, bool expected)
        => Assert.Equal(expected, new PackageRelation("a", op, "2.0").Accepts(DebianVersion.Parse(version)));
}
