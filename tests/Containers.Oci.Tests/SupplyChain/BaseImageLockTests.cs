using Containers.Oci.Errors;
using Containers.Oci.SupplyChain;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.SupplyChain;

/// <summary>The base image lock file: recorded per reference and platform, held to in locked mode, never half-written.</summary>
public sealed class BaseImageLockTests : IDisposable
{
    private const string Reference = "registry.example.com/dotnet/aspnet:10.0";
    private static readonly string Old = "sha256:" + new string('a', 64);
    private static readonly string New = "sha256:" + new string('b', 64);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string LockFile => _temp.Combine("containers.lock.json");

    [Fact]
    public async Task ARecordedBase_PassesLockedMode_AndAMovedTagIsCONTAINER5610()
    {
        await BaseImageLock.RecordAsync(LockFile, [(Reference, "linux/amd64", Old)], default);
        var locked = new BaseImageLockOptions(LockFile, Locked: true);

        BaseImageLock.Verify(locked, Reference, "linux/amd64", Old);
        var error = Assert.Throws<ContainerException>(() => BaseImageLock.Verify(locked, Reference, "linux/amd64", New));

        Assert.Equal("CONTAINER5610", error.Code);
        Assert.Contains(Old, error.Message);
        Assert.Contains(New, error.Message);
        BaseImageLock.Verify(locked with { Locked = false }, Reference, "linux/amd64", New);   // not locked: no check
    }

    [Fact]
    public async Task ABaseOrPlatformTheLockDoesNotName_IsCONTAINER5611()
    {
        await BaseImageLock.RecordAsync(LockFile, [(Reference, "linux/amd64", Old)], default);
        var locked = new BaseImageLockOptions(LockFile, Locked: true);

        Assert.Equal(ErrorCatalogue.BaseImageNotLocked, Assert.Throws<ContainerException>(() => BaseImageLock.Verify(locked, Reference, "linux/arm64/v8", Old)).Error);
        Assert.Equal(ErrorCatalogue.BaseImageNotLocked, Assert.Throws<ContainerException>(() => BaseImageLock.Verify(locked, "other:1", "linux/amd64", Old)).Error);
    }

    [Fact]
    public async Task Recording_KeepsOtherEntries_AndAnUnchangedLockIsNotRewritten()
    {
        await BaseImageLock.RecordAsync(LockFile, [(Reference, "linux/amd64", Old), ("other:1", "linux/amd64", Old)], default);
        await BaseImageLock.RecordAsync(LockFile, [(Reference, "linux/amd64", New), (Reference, "linux/arm64/v8", Old)], default);
        var written = File.GetLastWriteTimeUtc(LockFile);
        File.SetLastWriteTimeUtc(LockFile, written.AddHours(-1));

        await BaseImageLock.RecordAsync(LockFile, [(Reference, "linux/amd64", New)], default);

        var entries = BaseImageLock.Read(LockFile);
        Assert.Equal(New, entries[Reference]["linux/amd64"]);
        Assert.Equal(Old, entries[Reference]["linux/arm64/v8"]);
        Assert.Equal(Old, entries["other:1"]["linux/amd64"]);
        Assert.Equal(written.AddHours(-1), File.GetLastWriteTimeUtc(LockFile));
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.tmp"));
    }

    [Fact]
    public void ALockFileThatIsNotALock_IsCONTAINER5612()
    {
        File.WriteAllText(LockFile, """{ "version": 7 }""");

        var error = Assert.Throws<ContainerException>(() => BaseImageLock.Verify(new BaseImageLockOptions(LockFile, true), Reference, "linux/amd64", Old));

        Assert.Equal("CONTAINER5612", error.Code);
    }

    [Fact]
    public async Task ALockFileThatCannotBeWritten_IsCONTAINER5613()
    {
        var blocker = _temp.WriteFile("blocker", "a file, not a folder");

        var error = await Assert.ThrowsAsync<ContainerException>(() => BaseImageLock.RecordAsync(Path.Combine(blocker, "containers.lock.json"), [(Reference, "linux/amd64", Old)], default));

        Assert.Equal(ErrorCatalogue.BaseImageLockNotWritable, error.Error);
    }
}
