using Containers.Cli.Places;
using Containers.Oci.Errors;
using Containers.Oci.Stores;

namespace Containers.Oci.Tests.Cli;

/// <summary>How a destination on the command line becomes a place, a name and tags.</summary>
public sealed class PlaceTests
{
    private const string Cwd = "/work";

    [Fact]
    public void ARegistryReference_GivesItsRepository_AndItsTag_OrTheDefaults()
    {
        var tagged = Place.Destination("localhost:5000/team/app:1.2", Cwd, "copy", "x", ["latest"]);
        var untagged = Place.Destination("localhost:5000/team/app", Cwd, "copy", "x", ["2.0"]);

        Assert.Equal(new RegistryLocation(new Containers.Oci.Names.ImageReference("localhost:5000", "team/app")), tagged.Location);
        Assert.Equal(new ImageName("localhost:5000", "team/app"), tagged.Name);
        Assert.Equal(["1.2"], tagged.Tags);
        Assert.Equal(["2.0"], untagged.Tags);
    }

    [Fact]
    public void ALocalPlace_TakesItsNameAndTag_AfterThePath_OrTheSources()
    {
        var named = Place.Destination("oci-layout:./out:app:1.0", Cwd, "copy", "source", ["9"]);
        var unnamed = Place.Destination("oci-archive:/tmp/a.tar", Cwd, "copy", "source", ["9"]);
        var podman = Place.Destination("podman:", Cwd, "copy", "source", ["9"]);

        Assert.Equal((new OciLayoutLocation("/work/out", null, null) as ImageLocation, new ImageName(null, "app"), "1.0"), (named.Location, named.Name, named.Tags.Single()));
        Assert.Equal((new ArchiveLocation(ArchiveFormat.OciArchive, "/tmp/a.tar", null) as ImageLocation, new ImageName(null, "source"), "9"), (unnamed.Location, unnamed.Name, unnamed.Tags.Single()));
        Assert.Equal(new DaemonStoreLocation(LocalDaemonKind.Podman, "source"), podman.Location);
    }

    [Fact]
    public void ADestinationByDigest_IsAUsageError()
    {
        var error = Assert.Throws<ContainerException>(() => Place.Destination("localhost:5000/app@sha256:" + new string('a', 64), Cwd, "copy", "x", []));

        Assert.Equal(ErrorCatalogue.CliUsage, error.Error);
        Assert.Contains("containerize copy --help", error.Message);
    }

    [Theory]
    [InlineData("app:1.0", "app", "1.0")]
    [InlineData("localhost:5000/app", "localhost:5000/app", null)]
    [InlineData("localhost:5000/app:2", "localhost:5000/app", "2")]
    [InlineData("app", "app", null)]
    public void SplitTag_CutsAtTheLastColonAfterTheLastSlash(string name, string repository, string? tag)
        => Assert.Equal((repository, tag), Place.SplitTag(name));

    [Fact]
    public void TheDefaults_OfACopy_AreTheSourcesRepositoryAndTag()
    {
        Assert.Equal(("dotnet/runtime", "10.0"), Defaults("mcr.microsoft.com/dotnet/runtime:10.0"));
        Assert.Equal(("app", "latest"), Defaults("oci-layout:/x:app"));
        Assert.Equal(("image", "latest"), Defaults("oci-archive:/x.tar"));
    }

    [Fact]
    public void LsOfALayout_Is5705()
        => Assert.Equal(ErrorCatalogue.RegistryOnlyCommand, Assert.Throws<ContainerException>(() => Place.Registry("oci-layout:/x", Cwd, "ls")).Error);

    private static (string, string) Defaults(string text)
    {
        var (repository, tags) = Place.DefaultsFrom(Place.Source(text, Cwd));
        return (repository, tags.Single());
    }
}
