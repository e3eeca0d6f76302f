using Containers.Oci.Stores;
using Containers.Oci.Errors;
using Containers.Oci.Names;

namespace Containers.Oci.Tests.Sources;

public class ImageLocationTests
{
    private static readonly string Project = OperatingSystem.IsWindows() ? @"C:\src\app" : "/src/app";

    private static ImageLocation Parse(string text) => ImageLocation.Parse(text, Project);

    [Theory]
    [InlineData("mcr.microsoft.com/dotnet/runtime:10.0")]
    [InlineData("ubuntu")]
    [InlineData("localhost:5000/app@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("docker:24-dind")]   // Docker Hub's own 'docker' image: no scheme of ours is named 'docker'
    public void RegistryReferences_StayRegistryReferences(string text)
    {
        var location = Assert.IsType<RegistryLocation>(Parse(text));
        Assert.Equal(ImageReference.Parse(text), location.Reference);
    }

    [Fact]
    public void OciLayout_TakesAPath_AndOptionallyANameOrADigest()
    {
        var plain = Assert.IsType<OciLayoutLocation>(Parse("oci-layout:/images/base"));
        var named = Assert.IsType<OciLayoutLocation>(Parse("oci-layout:/images/base:runtime:10.0"));
        var digest = "sha256:" + new string('b', 64);
        var byDigest = Assert.IsType<OciLayoutLocation>(Parse($"oci-layout:/images/base@{digest}"));
        var skopeoSpelling = Assert.IsType<OciLayoutLocation>(Parse("oci:/images/base:runtime"));

        Assert.Equal((Path.GetFullPath("/images/base"), (string?)null, (string?)null), (plain.Path, plain.Name, plain.Digest));
        Assert.Equal("runtime:10.0", named.Name);
        Assert.Equal(digest, byDigest.Digest);
        Assert.Equal(Path.GetFullPath("/images/base"), byDigest.Path);
        Assert.Equal("runtime", skopeoSpelling.Name);
    }

    [Fact]
    public void RelativePaths_AreTheProjectFolders()
    {
        var layout = Assert.IsType<OciLayoutLocation>(Parse("oci-layout:./base"));
        var archive = Assert.IsType<ArchiveLocation>(Parse("docker-archive:../images/base.tar:base:1.0"));

        Assert.Equal(Path.GetFullPath(Path.Combine(Project, "base")), layout.Path);
        Assert.Equal(Path.GetFullPath(Path.Combine(Project, "..", "images", "base.tar")), archive.Path);
        Assert.Equal("base:1.0", archive.Name);
        Assert.Equal(ArchiveFormat.DockerArchive, archive.Format);
    }

    [Fact]
    public void Archives_AndLocalStores_AreRecognised()
    {
        var oci = Assert.IsType<ArchiveLocation>(Parse("oci-archive:/tmp/base.tar.gz"));
        var podman = Assert.IsType<DaemonStoreLocation>(Parse("podman:localhost/base:1.0"));
        var storage = Assert.IsType<DaemonStoreLocation>(Parse("containers-storage:base:1.0"));
        var docker = Assert.IsType<DaemonStoreLocation>(Parse("docker-daemon:base:1.0"));

        Assert.Equal((ArchiveFormat.OciArchive, (string?)null), (oci.Format, oci.Name));
        Assert.Equal((LocalDaemonKind.Podman, "localhost/base:1.0"), (podman.Daemon, podman.Name));
        Assert.Equal(LocalDaemonKind.Podman, storage.Daemon);
        Assert.Equal((LocalDaemonKind.Docker, "base:1.0"), (docker.Daemon, docker.Name));
        Assert.Equal("podman:localhost/base:1.0", podman.ToString());
    }

    [Theory]
    [InlineData("podman:myapp")]          // also Docker Hub's 'podman' image, tag 'myapp'
    [InlineData("oci-layout:latest")]     // also Docker Hub's 'oci-layout' image, tag 'latest'
    [InlineData("docker-daemon:base")]
    public void TextThatReadsBothWays_IsRejectedAsAmbiguous(string text)
    {
        var error = Assert.Throws<ContainerException>(() => Parse(text));

        Assert.Equal(ErrorCatalogue.AmbiguousBaseImage.Code, error.Code);
        Assert.Contains("docker.io/library/", error.Message);
    }

    [Theory]
    [InlineData("./base.tar")]
    [InlineData("/var/images/base")]
    [InlineData(@"C:\images\base.tar")]
    public void APathWithoutAScheme_SaysWhichSchemeToWrite(string text)
    {
        var error = Assert.Throws<ContainerException>(() => Parse(text));

        Assert.Equal(ErrorCatalogue.InvalidImageReference.Code, error.Code);
        Assert.Contains("oci-layout:", error.Message);
    }

    [Theory]
    [InlineData("oci-layout:")]
    [InlineData("docker-archive::name")]
    [InlineData("podman:")]
    public void ASchemeWithNothingAfterIt_IsAnError(string text)
        => Assert.Equal(ErrorCatalogue.InvalidBaseImageLocation.Code, Assert.Throws<ContainerException>(() => Parse(text)).Code);

    [Fact]
    public void WindowsDrivePaths_AreNotSplitAtTheDrive()
    {
        var archive = Assert.IsType<ArchiveLocation>(ImageLocation.Parse(@"docker-archive:C:\images\base.tar:base:1.0", Project));

        Assert.EndsWith("base.tar", archive.Path);
        Assert.Equal("base:1.0", archive.Name);
    }
}
