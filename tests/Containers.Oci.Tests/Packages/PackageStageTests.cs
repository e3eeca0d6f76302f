using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Layers;
using Containers.Oci.Packages;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Packages;

/// <summary>
/// The whole package stage against a signed repository in memory: trust, resolution against the base's database,
/// unpacking through the base's root links, the database files, the layer cache, and a changed byte anywhere.
/// </summary>
public sealed class PackageStageTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestDebianRepository _repository = new TestDebianRepository()
        .Add("tool", "2.0-1", "libtool-data, libbase (>= 1.0)", ("/bin/tool", "#!/bin/sh\necho tool\n"), ("/usr/share/doc/tool/README", "read me"), ("/usr/bin/tool-link", "-> tool"))
        .Add("libtool-data", "2.0-1", "", ("/usr/share/tool/data.txt", "data"))
        .Add("libbase", "0.9", "")
        .Publish();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Stage_InstallsThePackageAndWhatItNeeds_ThroughTheBasesRootLinks_WithTheDatabase()
    {
        var result = await BuildAsync(Base(), ["tool"], _repository.Handler());

        Assert.False(result.Reused);
        Assert.Equal(["libtool-data", "tool"], result.Record.Installed.Select(p => p.Name));
        var entries = await LayerFiles.ReadAsync(result.Layer);
        Assert.Equal("#!/bin/sh\necho tool\n", entries["usr/bin/tool"]);            // /bin is a link to usr/bin in the base
        Assert.DoesNotContain("bin", entries.Keys);                                 // a folder there would hide that link
        Assert.Equal("-> tool", entries["usr/bin/tool-link"]);
        Assert.Equal("data", entries["usr/share/tool/data.txt"]);
        var status = entries["var/lib/dpkg/status"];
        Assert.Contains("Package: libbase\nStatus: install ok installed\nVersion: 1.0", status);   // the base's entry, kept
        Assert.Contains("Package: tool\nStatus: install ok installed\nVersion: 2.0-1", status);
        Assert.True(status.IndexOf("Package: libtool-data", StringComparison.Ordinal) < status.IndexOf("Package: tool", StringComparison.Ordinal));
        Assert.Contains("/bin/tool\n", entries["var/lib/dpkg/info/tool.list"]);    // as the package names it
        Assert.Contains("usr/share/doc/tool/README", entries["var/lib/dpkg/info/tool.md5sums"]);
    }

    [Fact]
    public async Task Stage_ARepublishWithTheSameInputs_ReusesTheLayer_WithoutAnyRequest()
    {
        var baseImage = Base();
        var first = await BuildAsync(baseImage, ["tool"], _repository.Handler());
        var handler = _repository.Handler();

        var second = await BuildAsync(baseImage, ["tool"], handler);

        Assert.True(second.Reused);
        Assert.Equal(first.Layer.Descriptor.Digest, second.Layer.Descriptor.Digest);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Stage_ANewBaseWithTheSameDatabase_ResolvesAgain_ButDownloadsNoPackage()
    {
        var first = await BuildAsync(Base(), ["tool"], _repository.Handler());
        var handler = _repository.Handler();
        var newBase = Base();
        Assert.NotEqual(Base().Digest, newBase.Digest);

        var second = await BuildAsync(newBase, ["tool"], handler);

        Assert.True(second.Reused);
        Assert.Equal(first.Layer.Descriptor.Digest, second.Layer.Descriptor.Digest);
        Assert.Contains(handler.Requests, r => r.EndsWith("InRelease", StringComparison.Ordinal));
        Assert.DoesNotContain(handler.Requests, r => r.EndsWith(".deb", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stage_GivesTheSameBytes_InAnotherCacheFolder()
    {
        var first = await BuildAsync(Base(), ["tool"], _repository.Handler());
        var second = await BuildAsync(Base(), ["tool"], _repository.Handler(), cacheDirectory: _dir.Combine("other"));

        Assert.False(second.Reused);
        Assert.Equal(first.Layer.Descriptor.Digest, second.Layer.Descriptor.Digest);
    }

    [Theory]
    [InlineData("InRelease", "CONTAINER5803")]
    [InlineData("Packages.gz", "CONTAINER5804")]
    [InlineData("tool_2.0-1_amd64.deb", "CONTAINER5805")]
    public async Task Stage_AChangedByte_IsItsCodedError(string tampered, string code)
    {
        var e = await Assert.ThrowsAsync<ContainerException>(() => BuildAsync(Base(), ["tool"], _repository.Handler(p => p.EndsWith(tampered, StringComparison.Ordinal))));

        Assert.Equal(code, e.Code);
        Assert.Equal(FailureKind.DigestMismatch, e.Kind);
    }

    [Fact]
    public async Task Stage_ASignatureByAnotherKey_IsCONTAINER5803()
    {
        var otherKey = TestDebianRepository.OtherKeyring();

        var e = await Assert.ThrowsAsync<ContainerException>(() => BuildAsync(Base(keyring: otherKey), ["tool"], _repository.Handler()));

        Assert.Equal(ErrorCatalogue.PackageSignatureInvalid, e.Error);
        Assert.Contains("is not in the keyring", e.Message);
    }

    [Fact]
    public async Task Stage_ABaseWithoutAptSources_IsCONTAINER5800_UnlessASourceIsGiven()
    {
        var bare = Base(sources: false);

        var e = await Assert.ThrowsAsync<ContainerException>(() => BuildAsync(bare, ["tool"], _repository.Handler()));
        Assert.Equal(ErrorCatalogue.PackageSourceMissing, e.Error);

        var keyring = _dir.Combine("repo.gpg");
        File.WriteAllBytes(keyring, TestDebianRepository.PublicKeyring);
        var sources = AptSource.ParseProperty($"http://repo.test/ {TestDebianRepository.Suite} main repo.gpg", _dir.Path);
        var result = await BuildAsync(bare, ["tool"], _repository.Handler(), sources: sources);
        Assert.Contains("tool", result.Record.Installed.Select(p => p.Name));
    }

    [Fact]
    public async Task Stage_ADistrolessBase_GetsStatusDEntries()
    {
        var result = await BuildAsync(Base(statusFolder: true), ["libtool-data"], _repository.Handler());

        var entries = await LayerFiles.ReadAsync(result.Layer);
        Assert.StartsWith("Package: libtool-data\nStatus: install ok installed", entries["var/lib/dpkg/status.d/libtool-data"]);
        Assert.DoesNotContain("var/lib/dpkg/status", entries.Keys);
    }

    private async Task<PackageStageResult> BuildAsync(IImage baseImage, string[] packages, HttpMessageHandler handler, string? cacheDirectory = null, IReadOnlyList<AptSource>? sources = null)
    {
        var options = new PackageStageOptions(packages.Select(p => new PackageRequest(p)).ToList(), sources ?? [], cacheDirectory ?? _dir.Combine("work"),
            new ContentCache(_dir.Combine("cache")), DateTimeOffset.UnixEpoch, LayerCompression.Gzip, handler);
        return await PackageStage.BuildAsync(baseImage, "test-base", options, new ListLog(), CancellationToken.None);
    }

    private IImage Base(bool sources = true, byte[]? keyring = null, bool statusFolder = false)
        => TestBaseImages.Debian(_dir, sources
            ? $"Types: deb\nURIs: http://repo.test/\nSuites: {TestDebianRepository.Suite}\nComponents: main\nSigned-By: /usr/share/keyrings/test.gpg\n"
            : null, keyring, statusFolder);
}
