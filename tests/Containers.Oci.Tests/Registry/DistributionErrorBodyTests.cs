using System.Text;
using Containers.Oci.Registry;

namespace Containers.Oci.Tests.Registry;

public sealed class DistributionErrorBodyTests
{
    private static string? Describe(string body) => DistributionErrorBody.Describe(Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Codes_and_messages_are_joined_on_one_line()
        => Assert.Equal("NAME_UNKNOWN: repository name not known to registry; MANIFEST_UNKNOWN: manifest unknown",
            Describe("""{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry","detail":{"name":"x"}},{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"""));

    [Fact]
    public void A_code_without_message_stands_alone()
        => Assert.Equal("DENIED", Describe("""{"errors":[{"code":"DENIED"}]}"""));

    [Fact]
    public void Long_messages_and_many_errors_are_cut_short()
    {
        var errors = string.Join(",", Enumerable.Range(0, 10).Select(i => $$"""{"code":"C{{i}}","message":"{{new string('m', 500)}}"}"""));

        var text = Describe($$"""{"errors":[{{errors}}]}""")!;

        Assert.Equal(3, text.Split("; ").Length);
        Assert.True(text.Length < 700, text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>Bad Gateway</html>")]
    [InlineData("""{"message":"not the distribution format"}""")]
    [InlineData("""{"errors":"nope"}""")]
    [InlineData("""{"errors":[]}""")]
    [InlineData("[1,2]")]
    public void Anything_else_gives_null(string body) => Assert.Null(Describe(body));
}
