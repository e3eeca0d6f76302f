using Containers.Oci.Layers;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Layering;

/// <summary>
/// Issue 13: a layer's key covers everything that decides its bytes, so no stale layer is ever reused from the cache or
/// the registry; and a package's file published unchanged is keyed by the package's hash without being read.
/// </summary>
public sealed class LayerKeysTests : IDisposable
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void APackageFilePublishedUnchanged_IsKeyedByThePackagesHash_WithoutBeingRead()
    {
        var (publish, packages) = Stage("sha512-one");
        var files = FileDigestMemo.Load(_temp.Combine("memo.tsv"));

        var key = Key(publish, packages, files, LayerEntry.FileMode, "/app", LayerCompression.Gzip);

        Assert.Equal(0, files.Hashed);
        Assert.Equal(1, packages.Matched);
        Assert.Equal(key, Key(publish, PackageFiles.Load(publish, Path.Combine(publish, "App.deps.json"), _temp.Combine("nuget")), FileDigestMemo.None, LayerEntry.FileMode, "/app", LayerCompression.Gzip));
    }

    [Fact]
    public void AnotherPackage_GivesANewKey_ThoughTheFileIsTheSame()
    {
        var (publish, one) = Stage("sha512-one");
        var first = Key(publish, one, FileDigestMemo.None, LayerEntry.FileMode, "/app", LayerCompression.Gzip);
        var (_, two) = Stage("sha512-two");

        Assert.NotEqual(first, Key(publish, two, FileDigestMemo.None, LayerEntry.FileMode, "/app", LayerCompression.Gzip));
    }

    [Fact]
    public void APublishedFileThatDiffersFromThePackages_IsReadAndKeyedByItsContent()
    {
        var (publish, packages) = Stage("sha512-one");
        var before = Key(publish, packages, FileDigestMemo.None, LayerEntry.FileMode, "/app", LayerCompression.Gzip);
        // As ReadyToRun or trimming would leave it: rewritten at build time (the same size here, a new time).
        var published = Path.Combine(publish, "Package.dll");
        File.WriteAllText(published, "A PACKAGE'S ASSEMBLY");
        File.SetLastWriteTimeUtc(published, DateTime.UtcNow.AddMinutes(-5));
        var files = FileDigestMemo.None;

        var after = Key(publish, PackageFiles.Load(publish, Path.Combine(publish, "App.deps.json"), _temp.Combine("nuget")), files, LayerEntry.FileMode, "/app", LayerCompression.Gzip);

        Assert.Equal(1, files.Hashed);
        Assert.NotEqual(before, after);
    }

    [Theory]
    [InlineData(LayerEntry.ExecutableMode, "/app", LayerCompression.Gzip)]   // a changed mode
    [InlineData(LayerEntry.FileMode, "/srv/app", LayerCompression.Gzip)]      // a changed target path
    [InlineData(LayerEntry.FileMode, "/app", LayerCompression.Zstd)]          // a changed compression
    public void AChangedModeTargetPathOrCompression_GivesANewKey_ForAPackageFileToo(int mode, string target, LayerCompression compression)
    {
        var (publish, packages) = Stage("sha512-one");
        var baseline = Key(publish, packages, FileDigestMemo.None, LayerEntry.FileMode, "/app", LayerCompression.Gzip);

        Assert.NotEqual(baseline, Key(publish, packages, FileDigestMemo.None, mode, target, compression));
    }

    [Fact]
    public void ARuntimePackFile_IsKeyedByThePacksHashAndItsPathInThePack()
    {
        var inPack = _temp.WriteFile("nuget/microsoft.netcore.app.runtime.linux-x64/10.0.12/runtimes/linux-x64/native/libcoreclr.so", "the runtime");
        _temp.WriteFile("nuget/microsoft.netcore.app.runtime.linux-x64/10.0.12/microsoft.netcore.app.runtime.linux-x64.10.0.12.nupkg.sha512", "PACKHASH==\n");
        _temp.WriteFile("nuget/microsoft.netcore.app.runtime.linux-x64/10.0.12/data/RuntimeList.xml",
            """<FileList><File Type="Native" Path="runtimes/linux-x64/native/libcoreclr.so" /></FileList>""");
        var publish = _temp.Combine("sc");
        Directory.CreateDirectory(publish);
        var published = Path.Combine(publish, "libcoreclr.so");
        File.Copy(inPack, published);
        File.SetLastWriteTimeUtc(published, File.GetLastWriteTimeUtc(inPack));
        var deps = _temp.WriteFile("sc/App.deps.json", """
            {
              "targets": { ".NETCoreApp,Version=v10.0/linux-x64": {
                "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.12": { "native": { "libcoreclr.so": {} } } } },
              "libraries": { "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.12": { "type": "runtimepack", "sha512": "" } }
            }
            """);

        var packages = PackageFiles.Load(publish, deps, _temp.Combine("nuget"));

        Assert.Equal("nuget sha512-PACKHASH== runtimes/linux-x64/native/libcoreclr.so 11", packages.KeyOf(published));
    }

    [Fact]
    public void TheRecordedKey_NamesTheSchemeVersion()
        => Assert.Equal($"v{LayerKeys.Version}:abc", LayerKeys.Recorded("abc"));

    private static string Key(string publish, PackageFiles packages, FileDigestMemo files, int mode, string target, LayerCompression compression)
    {
        var plan = new LayerPlanBuilder().AddFile(Path.Combine(publish, "Package.dll"), target + "/Package.dll", mode).Build("packages");
        return LayerKeys.Compute(plan, Time, compression, files, packages, CancellationToken.None);
    }

    /// <summary>A package in a NuGet folder, and a publish folder with its assembly copied as publish copies it (same time).</summary>
    private (string Publish, PackageFiles Packages) Stage(string sha512)
    {
        var inPackage = _temp.WriteFile("nuget/package/1.0.0/lib/net10.0/Package.dll", "a package's assembly");
        var time = new DateTime(2025, 2, 6, 12, 16, 30, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(inPackage, time);
        var publish = _temp.Combine("publish");
        Directory.CreateDirectory(publish);
        var published = Path.Combine(publish, "Package.dll");
        File.Copy(inPackage, published, overwrite: true);
        File.SetLastWriteTimeUtc(published, time);
        File.WriteAllText(Path.Combine(publish, "App.deps.json"), $$"""
            {
              "targets": { ".NETCoreApp,Version=v10.0": { "Package/1.0.0": { "runtime": { "lib/net10.0/Package.dll": {} } } } },
              "libraries": { "Package/1.0.0": { "type": "package", "sha512": "{{sha512}}", "path": "package/1.0.0" } }
            }
            """);
        return (publish, PackageFiles.Load(publish, Path.Combine(publish, "App.deps.json"), _temp.Combine("nuget")));
    }
}
