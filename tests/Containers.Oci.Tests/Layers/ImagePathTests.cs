using Containers.Oci.Errors;
using Containers.Oci.Layers;

namespace Containers.Oci.Tests.Layers;

public class ImagePathTests
{
    [Theory]
    [InlineData("/app//x/", "app/x")]
    [InlineData("app", "app")]
    [InlineData("/", "")]
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
    [InlineData("/../x")]
    [InlineData("/app/../../x")]
    [InlineData("a\\..\\b")]
    [InlineData("\\app\\sub\\a.dll")]
    [InlineData("/app\\x")]
    [InlineData("/app/\0x")]
    public void Normalize_RefusesWhatCouldClimbOut_WithACode_AndNeverReadsABackslashAsASeparator(string input)
        => Assert.Equal(ErrorCatalogue.InvalidImagePath, Assert.Throws<ContainerException>(() => ImagePath.Normalize(input)).Error);

    [Theory]
    [InlineData("/../x")]
    [InlineData("/app/../../x")]
    public void AWorkingDirectoryThatClimbsAboveTheRoot_IsError5400_NotAnUnhandledException(string workingDirectory)
    {
        var error = Assert.Throws<ContainerException>(() => ImagePath.AsDirectory(workingDirectory));

        Assert.Equal("CONTAINER5400", error.Code);
        Assert.Contains($"'{workingDirectory}'", error.Message);
    }

    // Found by TarPathPropertyTests: half a surrogate pair was accepted and then written as U+FFFD, another name.
    // (Not InlineData: attribute strings cannot hold half a surrogate pair.)
    [Fact]
    public void ANameWithHalfASurrogatePair_IsError5400_NotWrittenAsAnotherName()
    {
        foreach (var name in new[] { "app/\uD800", "\uDC00", "a\uDE00\uD83D" })
        {
            Assert.Equal(ErrorCatalogue.InvalidImagePath, Assert.Throws<ContainerException>(() => ImagePath.Normalize(name)).Error);
            Assert.Equal(ErrorCatalogue.InvalidImagePath, Assert.Throws<ContainerException>(() => LayerEntry.Directory(name)).Error);
        }
        Assert.Null(ImagePath.EntryNameProblem("app/\uD83D\uDE00"));
    }

    [Fact]
    public void Combine_RejectsANameThatClimbsOut()
        => Assert.Throws<ContainerException>(() => ImagePath.Combine("/app", "../etc/passwd"));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("/app", "starts with '/'")]
    [InlineData("app//x", "empty folder name")]
    [InlineData("app/./x", "'.' folder")]
    [InlineData("app/../x", "'..' folder")]
    [InlineData("..\\..\\etc\\passwd", "'\\'")]
    [InlineData("app/x\0", "NUL")]
    public void EntryNameProblem_SaysWhyANameCannotBeATarEntry(string name, string expected)
        => Assert.Contains(expected, ImagePath.EntryNameProblem(name));

    [Theory]
    [InlineData("app")]
    [InlineData("app/..hidden/.x")]
    [InlineData("app/a b/ü.txt")]
    public void EntryNameProblem_IsNullForAValidName(string name) => Assert.Null(ImagePath.EntryNameProblem(name));

    [Fact]
    public void Normalize_KeepsNamesThatOnlyStartWithDots()
        => Assert.Equal("app/..hidden/.x", ImagePath.Normalize("/app/..hidden/.x"));
}
