using Containers.Oci.Errors;
using Containers.Oci.Publishing;
using Containers.Oci.Stores;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Publishing;

public sealed class ExtraDestinationsTests : IDisposable
{
    private static readonly ImageName Name = new("localhost:5000", "team/app");
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Nothing_MeansNoExtraDestination()
    {
        Assert.Empty(ExtraDestinations.Parse(null, Name, _temp.Path));
        Assert.Empty(ExtraDestinations.Parse(" ; ", Name, _temp.Path));
    }

    [Fact]
    public void EachEntry_NamesAPlace_AndTheImageKeepsThePublishsNameThere()
    {
        var destinations = ExtraDestinations.Parse("mirror.example.com:5001/team/app; oci-layout:out/layout ;docker-archive:out/app.tar;podman:", Name, _temp.Path);

        Assert.Equal(4, destinations.Count);
        var registry = Assert.IsType<RegistryLocation>(destinations[0].Location);
        Assert.Equal("mirror.example.com:5001/team/app", registry.Reference.ToString());
        Assert.Equal("mirror.example.com:5001/team/app:1.0", destinations[0].Name.NameFor("1.0"));
        var layout = Assert.IsType<OciLayoutLocation>(destinations[1].Location);
        Assert.Equal(_temp.Combine("out", "layout"), layout.Path);
        Assert.Equal(Name, destinations[1].Name);
        Assert.Equal(_temp.Combine("out", "app.tar"), Assert.IsType<ArchiveLocation>(destinations[2].Location).Path);
        var daemon = Assert.IsType<DaemonStoreLocation>(destinations[3].Location);
        Assert.Equal((LocalDaemonKind?)LocalDaemonKind.Podman, daemon.Daemon);
        Assert.Equal("localhost:5000/team/app:1.0", destinations[3].Name.NameFor("1.0"));
    }

    [Theory]
    [InlineData("mirror.example.com/team/app:1.0", "names a tag or digest")]
    [InlineData("mirror.example.com/team/app@sha256:0000000000000000000000000000000000000000000000000000000000000000", "names a tag or digest")]
    [InlineData("oci-layout:out:app:1.0", "names an image in the file or folder")]
    [InlineData("podman:other:1.0", "takes the publish's name")]
    [InlineData("Not A Reference", "could not parse")]
    [InlineData("oci-layout:", "needs a path")]
    public void ABadEntry_IsCONTAINER5212_NamingIt(string entry, string reason)
    {
        var error = Assert.Throws<ContainerException>(() => ExtraDestinations.Parse("mirror.example.com/ok;" + entry, Name, _temp.Path));

        Assert.Equal(ErrorCatalogue.InvalidExtraDestination.Code, error.Code);
        Assert.Contains($"'{entry}'", error.Message);
        Assert.Contains(reason, error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
