using System.Text;
using Containers.Oci.Model;

namespace Containers.Oci.Tests.Model;

public class DigestTests
{
    private const string HelloSha256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Fact]
    public void Sha256_OfHello_IsTheKnownDigest()
    {
        var digest = Digest.Sha256(Encoding.ASCII.GetBytes("hello"));

        Assert.Equal("sha256", digest.Algorithm);
        Assert.Equal(HelloSha256, digest.Encoded);
        Assert.Equal("sha256:" + HelloSha256, digest.ToString());
    }

    [Fact]
    public void Sha256_OfNothing_IsTheKnownEmptyDigest()
        => Assert.Equal("sha256:" + EmptySha256, Digest.Sha256([]).ToString());

    [Fact]
    public async Task Sha256Async_OfAStream_EqualsTheSpanDigest()
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes("hello"));

        var digest = await Digest.Sha256Async(stream);

        Assert.Equal(HelloSha256, digest.Encoded);
    }

    [Theory]
    [InlineData("sha256:" + HelloSha256, "sha256", HelloSha256)]
    [InlineData("sha512:" + HelloSha256 + HelloSha256, "sha512", HelloSha256 + HelloSha256)]
    public void Parse_ValidDigest_SplitsAlgorithmAndEncoded(string text, string algorithm, string encoded)
    {
        var digest = Digest.Parse(text);

        Assert.Equal(algorithm, digest.Algorithm);
        Assert.Equal(encoded, digest.Encoded);
        Assert.Equal(text, digest.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(HelloSha256)]
    [InlineData("sha256:")]
    [InlineData("sha256:abc")]
    [InlineData("sha256:" + HelloSha256 + "00")]
    [InlineData("sha512:" + HelloSha256)]
    [InlineData("md5:5d41402abc4b2a76b9719d911017c592")]
    [InlineData("SHA256:" + HelloSha256)]
    [InlineData("sha256:2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824")]
    [InlineData("sha256:" + HelloSha256 + " ")]
    [InlineData(" sha256:" + HelloSha256)]
    [InlineData("sha256:zzf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")]
    public void TryParse_RejectsMalformedDigests(string? text)
    {
        Assert.False(Digest.TryParse(text, out _));
        if (text is not null) Assert.Throws<FormatException>(() => Digest.Parse(text));
    }

    [Fact]
    public void TryParse_RejectsATrailingNewline() => Assert.False(Digest.TryParse("sha256:" + HelloSha256 + "\n", out _));
}
