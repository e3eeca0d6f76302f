using Containers.Oci.Errors;
using Containers.Oci.Names;

namespace Containers.Oci.Tests.Names;

public class RepositoryNameTests
{
    [Fact]
    public void Normalize_LowerCasesAndReplacesSpaces_AndSaysItChanged()
    {
        var name = RepositoryName.Normalize("My App", out var changed);

        Assert.Equal("my-app", name);
        Assert.True(changed);
    }

    [Theory]
    [InlineData("my-app")]
    [InlineData("team/my.app_1")]
    [InlineData("contoso.api")]
    [InlineData("a__b")]
    [InlineData("1app")]
    public void Normalize_LeavesAValidNameUnchanged(string valid)
    {
        var name = RepositoryName.Normalize(valid, out var changed);

        Assert.Equal(valid, name);
        Assert.False(changed);
    }

    /// <summary>Issue 12: the docs promise normalisation, but a letter with an accent gave CONTAINER2005.</summary>
    [Theory]
    [InlineData("café", "cafe")]
    [InlineData("Ünïcode", "unicode")]
    [InlineData("Crème Brûlée", "creme-brulee")]
    [InlineData("Ångström.Api", "angstrom-api")]
    [InlineData("team/Café", "team/cafe")]
    [InlineData("日本App", "app")]
    [InlineData("Søren", "sren")]
    public void Normalize_TakesAccentedLettersToAscii_AndLeavesOutOtherNonAscii(string input, string expected)
    {
        Assert.Equal(expected, RepositoryName.Normalize(input, out var changed));
        Assert.True(changed);
    }

    [Theory]
    [InlineData("team/My App", "team/my-app")]
    [InlineData("App1", "app1")]
    [InlineData("My_App", "my_app")]
    public void Normalize_MatchesTheBuiltIn(string input, string expected)
    {
        Assert.Equal(expected, RepositoryName.Normalize(input, out var changed));
        Assert.True(changed);
    }

    // Measured with SDK 10.0.401 (-getProperty:ContainerRepository -p:AssemblyName=...): the built-in maps '.' to '-'
    // when it has to normalise, so a drop-in replacement must push "Contoso.Api" to the same repository.
    [Theory]
    [InlineData("Contoso.Api", "contoso-api")]
    [InlineData("My..App", "my--app")]
    public void Normalize_MapsDotsToDashes_AsTheBuiltInDoes(string input, string expected)
        => Assert.Equal(expected, RepositoryName.Normalize(input, out _));

    [Theory]
    [InlineData("!!!")]
    [InlineData("_App")]
    [InlineData("-app")]
    [InlineData("日本")]
    public void Normalize_NothingUsableLeft_ThrowsCodedError2005(string input)
    {
        var error = Assert.Throws<ContainerException>(() => RepositoryName.Normalize(input, out _));

        Assert.Equal("CONTAINER2005", error.Code);
        Assert.Contains(input, error.Message);
    }
}
