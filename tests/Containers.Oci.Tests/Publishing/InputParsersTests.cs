using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Publishing;

namespace Containers.Oci.Tests.Publishing;

public class InputParsersTests
{
    private static string Code(Action action) => Assert.Throws<ContainerException>(action).Code;

    [Theory]
    [InlineData("8080", null, 8080, PortType.Tcp)]
    [InlineData("8080", "", 8080, PortType.Tcp)]
    [InlineData("53", "udp", 53, PortType.Udp)]
    [InlineData("53", "UDP", 53, PortType.Udp)]
    [InlineData(" 443 ", " tcp ", 443, PortType.Tcp)]
    [InlineData("1", "tcp", 1, PortType.Tcp)]
    [InlineData("65535", "tcp", 65535, PortType.Tcp)]
    public void ParsePort_ANumberAndAnOptionalType(string number, string? type, int port, PortType portType)
        => Assert.Equal(new ExposedPort(port, portType), InputParsers.ParsePort(number, type));

    [Theory]
    [InlineData("x", null)]
    [InlineData("70000", null)]
    [InlineData("65536", "tcp")]
    [InlineData("0", null)]
    [InlineData("-1", null)]
    [InlineData("80", "sctp")]
    [InlineData("80/tcp", null)]
    public void ParsePort_InvalidNumberOrType_IsError2017(string number, string? type)
        => Assert.Equal("CONTAINER2017", Code(() => InputParsers.ParsePort(number, type)));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void ParsePort_NoNumber_IsError2016(string number)
        => Assert.Equal("CONTAINER2016", Code(() => InputParsers.ParsePort(number, "tcp")));

    [Fact]
    public void ParseTags_NeitherSet_IsLatest()
    {
        Assert.Equal(["latest"], InputParsers.ParseTags(null, null));
        Assert.Equal(["latest"], InputParsers.ParseTags(" ", ""));
    }

    [Fact]
    public void ParseTags_ASingleTag_IsTrimmed()
        => Assert.Equal(["1.0"], InputParsers.ParseTags(" 1.0 ", null));

    [Fact]
    public void ParseTags_AList_DropsEmptiesAndDuplicates_KeepingOrder()
        => Assert.Equal(["1.0", "latest", "stable"], InputParsers.ParseTags(null, "1.0; latest;;1.0;stable;latest"));

    [Fact]
    public void ParseTags_BothSet_IsError2008()
        => Assert.Equal("CONTAINER2008", Code(() => InputParsers.ParseTags("1.0", "2.0")));

    [Theory]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("has space")]
    [InlineData("a:b")]
    public void ParseTags_AnInvalidSingleTag_IsError2007(string tag)
    {
        var error = Assert.Throws<ContainerException>(() => InputParsers.ParseTags(tag, null));

        Assert.Equal("CONTAINER2007", error.Code);
        Assert.Contains("ContainerImageTag", error.Message);
    }

    [Theory]
    [InlineData("1.0;-bad")]
    [InlineData(";;")]
    [InlineData("ok;a/b")]
    public void ParseTags_AnInvalidList_IsError2010(string tags)
        => Assert.Equal("CONTAINER2010", Code(() => InputParsers.ParseTags(null, tags)));

    [Fact]
    public void ParseTags_A129CharacterTag_IsInvalid()
    {
        Assert.Equal("CONTAINER2007", Code(() => InputParsers.ParseTags(new string('a', 129), null)));
        Assert.Equal([new string('a', 128)], InputParsers.ParseTags(new string('a', 128), null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void ParseRegistry_Empty_IsNone(string? registry) => Assert.Null(InputParsers.ParseRegistry(registry));

    [Theory]
    [InlineData("http://localhost:5000/", "localhost:5000")]
    [InlineData("HTTPS://myregistry.example.com", "myregistry.example.com")]
    [InlineData(" localhost:5000 ", "localhost:5000")]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000")]
    [InlineData("[::1]:5000", "[::1]:5000")]
    [InlineData("index.docker.io", "docker.io")]
    [InlineData("docker.io", "docker.io")]
    public void ParseRegistry_StripsSchemeAndSlash_AndNormalisesDockerHub(string registry, string expected)
        => Assert.Equal(expected, InputParsers.ParseRegistry(registry));

    [Theory]
    [InlineData("not a host")]
    [InlineData("bad_host")]
    [InlineData("localhost:5000/path")]
    [InlineData("-leading.example.com")]
    [InlineData("http://")]
    public void ParseRegistry_Invalid_IsError2012(string registry)
    {
        var error = Assert.Throws<ContainerException>(() => InputParsers.ParseRegistry(registry));

        Assert.Equal("CONTAINER2012", error.Code);
        Assert.Contains(registry, error.Message);
    }

    [Theory]
    [InlineData("PATH", true)]
    [InlineData("_private", true)]
    [InlineData("ASPNETCORE_HTTP_PORTS", true)]
    [InlineData("a1", true)]
    [InlineData("1A", false)]
    [InlineData("A-B", false)]
    [InlineData("A B", false)]
    [InlineData("A=B", false)]
    [InlineData("", false)]
    [InlineData("Ä", false)]
    public void IsValidEnvironmentVariableName_LettersDigitsUnderscore_NotStartingWithADigit(string name, bool valid)
        => Assert.Equal(valid, InputParsers.IsValidEnvironmentVariableName(name));
}
