using Containers.Oci.Errors;
using Containers.Oci.Packages;

namespace Containers.Oci.Tests.Packages;

/// <summary>apt's two source formats as a base image writes them, and ContainerPackageSource.</summary>
public sealed class AptSourceTests
{
    [Fact]
    public void ParseDeb822_GivesOneSourcePerUriAndSuite_WithItsKeyring()
    {
        var sources = AptSource.ParseDeb822("""
            # comment
            Types: deb deb-src
            URIs: http://mirror.test/debian
            Suites: bookworm bookworm-updates
            Components: main contrib
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

            Types: deb-src
            URIs: http://mirror.test/only-sources
            Suites: bookworm
            Components: main

            Types: deb
            URIs: http://mirror.test/disabled
            Suites: bookworm
            Components: main
            Enabled: no
            """).ToList();

        Assert.Equal(["http://mirror.test/debian bookworm main,contrib", "http://mirror.test/debian bookworm-updates main,contrib"], sources.Select(s => s.ToString()));
        Assert.All(sources, s => Assert.Equal("/usr/share/keyrings/debian-archive-keyring.gpg", s.Keyring));
    }

    [Fact]
    public void ParseDeb822_KeepsAnInlineKeyAsTheKeyItself()
    {
        var source = Assert.Single(AptSource.ParseDeb822("Types: deb\nURIs: http://m.test/u\nSuites: noble\nComponents: main\nSigned-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n abc\n"));

        Assert.StartsWith("inline:", source.Keyring);
        Assert.Contains("BEGIN PGP PUBLIC KEY BLOCK", source.Keyring);
    }

    [Fact]
    public void ParseList_ReadsDebLinesWithSignedBy_AndSkipsSourcesAndComments()
    {
        var sources = AptSource.ParseList("""
            deb http://m.test/ubuntu noble main universe # trailing
            # deb http://m.test/commented noble main
            deb-src http://m.test/ubuntu noble main
            deb [arch=amd64 signed-by=/etc/apt/keyrings/x.gpg] https://m.test/other stable main
            deb http://m.test/flat ./
            """).ToList();

        Assert.Equal(["http://m.test/ubuntu noble main,universe", "https://m.test/other stable main"], sources.Select(s => s.ToString()));
        Assert.Equal([null, "/etc/apt/keyrings/x.gpg"], sources.Select(s => s.Keyring));
    }

    [Fact]
    public void Resolve_PutsPathsBelowTheRepositoryRoot()
        => Assert.Equal("http://m.test/debian/dists/bookworm/InRelease",
            new AptSource(new Uri("http://m.test/debian"), "bookworm", ["main"], null).Resolve("dists/bookworm/InRelease").AbsoluteUri);

    [Fact]
    public void ParseProperty_ReadsUrlSuiteComponentsAndAKeyringOnThisMachine()
    {
        using var dir = new Support.TempDirectory();
        var keyring = Path.Combine(dir.Path, "key.gpg");
        File.WriteAllBytes(keyring, [1]);

        var source = Assert.Single(AptSource.ParseProperty("http://m.test/debian bookworm main,contrib key.gpg", dir.Path));

        Assert.Equal(("bookworm", "host:" + keyring), (source.Suite, source.Keyring));
        Assert.Equal(["main", "contrib"], source.Components);
    }

    [Theory]
    [InlineData("http://m.test/debian bookworm main", "3 parts")]
    [InlineData("ftp://m.test/debian bookworm main key.gpg", "not an http or https URL")]
    [InlineData("http://m.test/debian bookworm main missing.gpg", "does not exist")]
    public void ParseProperty_RefusesWhatIsNotASource(string value, string reason)
    {
        var e = Assert.Throws<ContainerException>(() => AptSource.ParseProperty(value, Path.GetTempPath()));
        Assert.Equal(ErrorCatalogue.InvalidPackageSource, e.Error);
        Assert.Contains(reason, e.Message);
    }
}
