using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Layers;
using Containers.Oci.Packages;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Packages;

/// <summary>The package stage's other coded failures, each before any layer exists.</summary>
public sealed class PackageFailureTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AKeyringTheBaseDoesNotHave_IsCONTAINER5802()
    {
        var repository = new TestDebianRepository().Add("tool", "1").Publish();
        var sources = $"Types: deb\nURIs: http://repo.test/\nSuites: {TestDebianRepository.Suite}\nComponents: main\nSigned-By: /usr/share/keyrings/missing.gpg\n";

        var e = await Assert.ThrowsAsync<ContainerException>(() => BuildAsync(Base(sources), "tool", repository.Handler()));

        Assert.Equal(ErrorCatalogue.PackageKeyringMissing, e.Error);
        Assert.Contains("/usr/share/keyrings/missing.gpg", e.Message);
    }

    [Fact]
    public async Task AComponentTheSourceDoesNotList_IsCONTAINER5814()
    {
        var repository = new TestDebianRepository().Add("tool", "1").Publish();

        var e = await Assert.ThrowsAsync<ContainerException>(() => BuildAsync(Base(Sources("main contrib")), "tool", repository.Handler()));

        Assert.Equal(ErrorCatalogue.PackageIndexMissing, e.Error);
        Assert.Contains("'contrib'", e.Message);
    }

    [Fact]
    public async Task ASourceThatAnswers404_IsCONTAINER5809_NamingTheUrl()
    {
        var repository = new TestDebianRepository().Add("tool", "1").Publish();
        var sources = $"Types: deb\nURIs: http://repo.test/elsewhere\nSuites: {TestDebianRepository.Suite}\nComponents: main\nSigned-By: /usr/share/keyrings/test.gpg\n";

        var e = await Assert.ThrowsAsync<ContainerException>(() => BuildAsync(Base(sources), "tool", repository.Handler()));

        Assert.Equal(ErrorCatalogue.PackageRepositoryFailed, e.Error);
        Assert.Contains("http://repo.test/elsewhere/dists/stable/InRelease", e.Message);
        Assert.Contains("404", e.Message);
    }

    [Fact]
    public async Task APackageFileThatIsNoDeb_IsCONTAINER5810()
    {
        var repository = new TestDebianRepository().AddDeb("broken", "1", "", "not an ar archive"u8.ToArray()).Publish();

        var e = await Assert.ThrowsAsync<ContainerException>(() => BuildAsync(Base(Sources("main")), "broken", repository.Handler()));

        Assert.Equal(ErrorCatalogue.PackageArchiveInvalid, e.Error);
    }

    [Fact]
    public async Task APackageWhosePostinstCreatesAUser_IsCONTAINER5811()
    {
        var repository = new TestDebianRepository().AddWithPostinst("daemon", "1", "#!/bin/sh\nset -e\nadduser --system daemon\n").Publish();

        var e = await Assert.ThrowsAsync<ContainerException>(() => BuildAsync(Base(Sources("main")), "daemon", repository.Handler()));

        Assert.Equal(ErrorCatalogue.PackageNeedsScripts, e.Error);
        Assert.Contains("its postinst runs 'adduser'", e.Message);
    }

    [Fact]
    public async Task CaCertificates_GetsTheBundleItsPostinstWouldWrite()
    {
        var repository = new TestDebianRepository().Add("ca-certificates", "1", "",
            ("/usr/share/ca-certificates/mozilla/B.crt", "-----BEGIN CERTIFICATE-----\nB\n-----END CERTIFICATE-----\n"),
            ("/usr/share/ca-certificates/mozilla/A.crt", "-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----")).Publish();

        var result = await BuildAsync(Base(Sources("main")), "ca-certificates", repository.Handler());

        var unpacked = await LayerFiles.ReadAsync(result.Layer);
        Assert.Equal("-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nB\n-----END CERTIFICATE-----\n", unpacked["etc/ssl/certs/ca-certificates.crt"]);
        Assert.EndsWith("mozilla/A.crt\nmozilla/B.crt\n", unpacked["etc/ca-certificates.conf"]);
    }

    private static string Sources(string components)
        => $"Types: deb\nURIs: http://repo.test/\nSuites: {TestDebianRepository.Suite}\nComponents: {components}\nSigned-By: /usr/share/keyrings/test.gpg\n";

    private IImage Base(string sources) => TestBaseImages.Debian(_dir, sources);

    private Task<PackageStageResult> BuildAsync(IImage baseImage, string package, HttpMessageHandler handler)
        => PackageStage.BuildAsync(baseImage, "test-base", new PackageStageOptions([new PackageRequest(package)], [], _dir.Combine("work"),
            new ContentCache(_dir.Combine("cache")), DateTimeOffset.UnixEpoch, LayerCompression.Gzip, handler), new ListLog(), CancellationToken.None);
}
