using Containers.Oci.SupplyChain;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.SupplyChain;

/// <summary>The base's OS facts read back from SBOMs: ours give back exactly what was written; others' give their Debian packages.</summary>
public sealed class SbomOsFactsTests : IDisposable
{
    private const string BaseDigest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private SbomFacts Facts(string? osId = "debian")
    {
        var (deps, assets) = AppGraphReaderTests.Inputs(_temp);
        return new SbomFacts
        {
            ImageDigest = "sha256:1111111111111111111111111111111111111111111111111111111111111111",
            ImageName = "registry.example.com/team/app",
            Platform = "linux/amd64",
            Created = DateTimeOffset.FromUnixTimeSeconds(1700000000),
            Components = AppGraphReader.Read(deps, assets, "App", "2.0.0"),
            BaseImage = new BaseImageFacts
            {
                Reference = "registry.example.com/dotnet/aspnet:10.0",
                Digest = BaseDigest,
                OsId = osId,
                OsVersion = osId is null ? null : "12",
                OsPackages =
                [
                    new OsPackage("libc6", "2.36-9+deb12u10", "amd64", "glibc"), new OsPackage("libssl3", "3.0.15-1~deb12u1", "amd64", "openssl"),
                    new OsPackage("tzdata", "2024a-0+deb12u1", "all", null), new OsPackage("zlib1g", "1:1.2.13.dfsg-1", "amd64", "zlib1g"),
                ],
                Frameworks = [("Microsoft.NETCore.App", "10.0.1")],
            },
            Tool = ("Containers.Build", "1.2.3"),
        };
    }

    [Theory]
    [InlineData(false, "debian")]
    [InlineData(true, "debian")]
    [InlineData(false, null)]
    [InlineData(true, null)]
    public void OurOwnSbom_GivesBackTheBase_SoTheSameFactsWriteTheSameBytes(bool spdx, string? osId)
    {
        var facts = Facts(osId);
        Func<SbomFacts, byte[]> write = spdx ? SpdxWriter.Write : CycloneDxWriter.Write;
        var written = write(facts);

        var read = SbomOsFacts.FromEarlierImage(written, BaseDigest);

        Assert.NotNull(read);
        Assert.Equal(osId, read.OsId);
        Assert.Equal(facts.BaseImage.OsPackages.Select(p => (p.Name, p.Version, p.Architecture)), read.Packages.Select(p => (p.Name, p.Version, p.Architecture)));
        var again = facts with { BaseImage = facts.BaseImage with { OsId = read.OsId, OsVersion = read.OsVersion, OsPackages = read.Packages } };
        Assert.Equal(written, write(again));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OurOwnSbom_OfAnotherBase_GivesNothing(bool spdx)
    {
        var written = spdx ? SpdxWriter.Write(Facts()) : CycloneDxWriter.Write(Facts());

        Assert.Null(SbomOsFacts.FromEarlierImage(written, "sha256:3333333333333333333333333333333333333333333333333333333333333333"));
    }

    [Fact]
    public void AForeignSpdxSbom_GivesItsDebianPackages_AndTheDistroFromTheirPurls()
    {
        var document = """
            {"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","packages":[
              {"SPDXID":"SPDXRef-a","name":"libc6","versionInfo":"2.36-9","externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:deb/ubuntu/libc6@2.36-9?arch=amd64&upstream=glibc"}]},
              {"SPDXID":"SPDXRef-b","name":"curl","externalRefs":[{"referenceType":"purl","referenceLocator":"pkg:rpm/fedora/curl@8.0"}]},
              {"SPDXID":"SPDXRef-c","name":"base-files","externalRefs":[{"referenceType":"purl","referenceLocator":"pkg:deb/ubuntu/base-files@13ubuntu10"}]}]}
            """u8.ToArray();

        var read = SbomOsFacts.FromBaseImage(document);

        Assert.NotNull(read);
        Assert.Equal("ubuntu", read.OsId);
        Assert.Null(read.OsVersion);
        Assert.Equal([("base-files", "13ubuntu10", (string?)null, (string?)null), ("libc6", "2.36-9", "amd64", "glibc")],
            read.Packages.Select(p => (p.Name, p.Version, p.Architecture, p.Source)));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"bomFormat":"CycloneDX","components":[{"purl":"pkg:deb/debian/@1"},{"purl":"pkg:deb/nameonly"},{"purl":7}]}""")]
    public void WhatIsNotAnSbomWithOsPackages_GivesNothing(string document)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(document);

        Assert.Null(SbomOsFacts.FromBaseImage(bytes));
        Assert.Null(SbomOsFacts.FromEarlierImage(bytes, BaseDigest));
    }

    [Theory]
    [InlineData("pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64", "libc6", "2.36-9+deb12u4", "amd64", null)]
    [InlineData("pkg:deb/debian/zlib1g@1%3A1.2.13?upstream=zlib%401.2.13#sub/path", "zlib1g", "1:1.2.13", null, "zlib")]
    public void ADebianPurl_IsReadBack(string purl, string name, string version, string? arch, string? source)
    {
        var (package, distro) = SbomOsFacts.ParseDebPurl(purl)!.Value;

        Assert.Equal("debian", distro);
        Assert.Equal(new OsPackage(name, version, arch, source), package);
    }
}
