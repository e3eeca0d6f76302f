using Containers.Oci.Layers;

namespace Containers.Oci.Tests.Layers;

public class ImagePathTests
{
    [Theory]
    [InlineData("/app//x/", "app/x")]
    [InlineData("app", "app")]
    [InlineData("/", "")]
    [InlineData("\\app\\sub\\a.dll", "app/sub/a.dll")]
    [InlineData("/./app/./x", "app/x")]
    public void Normalize_DropsLeadingSlashEmptyAndDotParts(string input, string expected)
        => Assert.Equal(expected, ImagePath.Normalize(input));

    [Theory]
    [InlineData("/srv/x", "a.dll")]
    [InlineData("/srv/x/", "a.dll")]
    [InlineData("srv/x", "/a.dll")]
    [InlineData("/srv//x//", "a.dll")]
    public void Combine_JoinsWithExactlyOneSlash_WithOrWithoutATrailingSlash(string directory, string name)
        => Assert.Equal("/srv/x/a.dll", ImagePath.Combine(directory, name));

    [Theory]
    [InlineData("/app", "/app/")]
    [InlineData("app//", "/app/")]
    [InlineData("/app/sub/", "/app/sub/")]
    [InlineData("/", "/")]
    [InlineData("", "/")]
    public void AsDirectory_HasExactlyOneTrailingSlash(string input, string expected)
        => Assert.Equal(expected, ImagePath.AsDirectory(input));

    [Theory]
    [InlineData("/app/../etc/passwd")]
    [InlineData("..")]
    [InlineData("a\\..\\b")]
    public void Normalize_RejectsDotDot(string input)
        => Assert.Throws<ArgumentException>(() => ImagePath.Normalize(input));

    [Fact]
    public void Combine_RejectsANameThatClimbsOut()
        => Assert.Throws<ArgumentException>(() => ImagePath.Combine("/app", "../etc/passwd"));

    [Fact]
    public void Normalize_KeepsNamesThatOnlyStartWithDots()
        => Assert.Equal("app/..hidden/.x", ImagePath.Normalize("/app/..hidden/.x"));
}
