using Containers.Oci.Errors;
using Containers.Oci.Names;

namespace Containers.Oci.Tests.Names;

public class ImageReferenceTests
{
    private const string Sha = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Parse_RegistryWithPort_NestedRepository_TagAndDigest_SplitsEveryPart()
    {
        var reference = ImageReference.Parse($"localhost:5000/a/b:tag@{Sha}");

        Assert.Equal("localhost:5000", reference.Registry);
        Assert.Equal("a/b", reference.Repository);
        Assert.Equal("tag", reference.Tag);
        Assert.Equal(Sha, reference.Digest);
        Assert.Equal(Sha, reference.TagOrDigest);
    }

    [Fact]
    public void Parse_IpAddressWithPort_IsTheRegistry_AndThePortIsNotATag()
    {
        var reference = ImageReference.Parse("127.0.0.1:5000/x");

        Assert.Equal("127.0.0.1:5000", reference.Registry);
        Assert.Equal("x", reference.Repository);
        Assert.Null(reference.Tag);
        Assert.Null(reference.Digest);
    }

    [Fact]
    public void Parse_BracketedIpv6RegistryWithPort_IsTheRegistry()
    {
        var reference = ImageReference.Parse("[::1]:5000/x:1.0");

        Assert.Equal("[::1]:5000", reference.Registry);
        Assert.Equal("x", reference.Repository);
        Assert.Equal("1.0", reference.Tag);
    }

    [Fact]
    public void Parse_BareName_IsADockerHubOfficialImage_WithLatestAsDefault()
    {
        var reference = ImageReference.Parse("ubuntu");

        Assert.Equal("docker.io", reference.Registry);
        Assert.Equal("library/ubuntu", reference.Repository);
        Assert.Null(reference.Tag);
        Assert.Equal("latest", reference.TagOrDigest);
        Assert.Equal("registry-1.docker.io", reference.ApiHost);
    }

    [Theory]
    [InlineData("index.docker.io/x", "library/x")]
    [InlineData("index.docker.io/team/x", "team/x")]
    [InlineData("docker.io/x", "library/x")]
    [InlineData("team/x", "team/x")]
    public void Parse_DockerHubSpellings_NormaliseToDockerIo(string text, string repository)
    {
        var reference = ImageReference.Parse(text);

        Assert.Equal("docker.io", reference.Registry);
        Assert.Equal(repository, reference.Repository);
    }

    [Theory]
    [InlineData("localhost/x", "localhost", "x")]
    [InlineData("mcr.microsoft.com/dotnet/runtime:10.0", "mcr.microsoft.com", "dotnet/runtime")]
    [InlineData("registry:5000/x", "registry:5000", "x")]
    public void Parse_FirstPartIsARegistry_WhenItHasADotAColonOrIsLocalhost(string text, string registry, string repository)
    {
        var reference = ImageReference.Parse(text);

        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(registry, reference.ApiHost);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ubuntu latest")]
    [InlineData("localhost:5000/MyApp")]
    [InlineData("MyApp")]
    [InlineData("ubuntu:.hidden")]
    [InlineData("ubuntu:-dash")]
    [InlineData("ubuntu:")]
    [InlineData("ubuntu@sha256:abc")]
    [InlineData("ubuntu@md5:0123456789abcdef0123456789abcdef")]
    [InlineData("ubuntu@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("localhost:5000/")]
    [InlineData("localhost:5000/a//b")]
    [InlineData("localhost:5000/a-")]
    [InlineData("bad_host:5000/x")]
    public void TryParse_RejectsInvalidReferences_WithAReason(string text)
    {
        Assert.False(ImageReference.TryParse(text, out _, out var reason));
        Assert.False(string.IsNullOrWhiteSpace(reason));
    }

    [Fact]
    public void Parse_InvalidReference_ThrowsCodedError2009()
    {
        var error = Assert.Throws<ContainerException>(() => ImageReference.Parse("localhost:5000/UPPER"));

        Assert.Equal("CONTAINER2009", error.Code);
        Assert.Contains("localhost:5000/UPPER", error.Message);
        Assert.Contains("upper-case", error.Message);
    }

    [Fact]
    public void IsValidTag_AllowsUpTo128Characters()
    {
        Assert.True(ImageReference.IsValidTag(new string('a', 128)));
        Assert.False(ImageReference.IsValidTag(new string('a', 129)));
        Assert.False(ImageReference.TryParse("ubuntu:" + new string('a', 129), out _, out _));
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("_private")]
    [InlineData("v1-rc.2_b")]
    [InlineData("LATEST")]
    public void IsValidTag_AcceptsTheDistributionGrammar(string tag) => Assert.True(ImageReference.IsValidTag(tag));

    // The distribution grammar's \w is ASCII only (Go's RE2); .NET's \w also matches other letters and digits,
    // which a registry then rejects at push time.
    [Theory]
    [InlineData("café")]
    [InlineData("v\u0661")]
    public void IsValidTag_RejectsNonAsciiLetters(string tag) => Assert.False(ImageReference.IsValidTag(tag));

    // '$' in .NET also matches before a final '\n', so a trailing newline slips through every anchored pattern.
    [Fact]
    public void Grammar_RejectsATrailingNewline()
    {
        Assert.False(ImageReference.IsValidTag("latest\n"));
        Assert.False(ImageReference.IsValidRepository("app\n", out _));
        Assert.False(ImageReference.IsValidRegistry("localhost\n"));
    }

    [Theory]
    [InlineData("localhost:5000/a/b:tag@" + Sha)]
    [InlineData("127.0.0.1:5000/x")]
    [InlineData("[::1]:5000/x:1")]
    [InlineData("docker.io/library/ubuntu:24.04")]
    [InlineData("mcr.microsoft.com/dotnet/runtime@" + Sha)]
    public void ToString_OfAFullyQualifiedReference_RoundTrips(string text)
    {
        var reference = ImageReference.Parse(text);

        Assert.Equal(text, reference.ToString());
        Assert.Equal(reference, ImageReference.Parse(reference.ToString()));
    }

    [Fact]
    public void ToString_OfAShortName_IsFullyQualified_AndParsesBackEqual()
    {
        var reference = ImageReference.Parse("ubuntu:24.04");

        Assert.Equal("docker.io/library/ubuntu:24.04", reference.ToString());
        Assert.Equal(reference, ImageReference.Parse(reference.ToString()));
    }

    [Fact]
    public void WithTag_DropsTheDigest_AndWithDigest_KeepsTheTag()
    {
        var reference = ImageReference.Parse($"localhost:5000/x:old@{Sha}");

        Assert.Equal("localhost:5000/x:new", reference.WithTag("new").ToString());
        Assert.Equal($"localhost:5000/x:old@{Sha}", reference.WithTag("old").WithDigest(Sha).ToString());
    }

    [Theory]
    [InlineData("mcr.microsoft.com/dotnet/runtime:10.0", true)]
    [InlineData("localhost:5000/app", true)]
    [InlineData("localhost/app", true)]
    [InlineData("docker.io/library/ubuntu", true)]
    [InlineData(" registry.example.com/app ", true)]
    [InlineData("ubuntu:24.04", false)]
    [InlineData("dotnet/runtime:10.0", false)]
    [InlineData("library/ubuntu", false)]
    public void NamesRegistry_FollowsDockersRuleForTheFirstPart(string text, bool names)
        => Assert.Equal(names, ImageReference.NamesRegistry(text));
}
