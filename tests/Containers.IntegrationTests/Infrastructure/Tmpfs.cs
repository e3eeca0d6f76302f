namespace Containers.IntegrationTests.Infrastructure;

/// <summary>
/// A small tmpfs mounted on a new folder: a disk that fills up at a size the test chooses. Mounting needs root; tests
/// that use it are <see cref="TmpfsFactAttribute"/>. Unmounted (lazily, should a file still be open) on dispose.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    private readonly TempDirectory _folder;
    private bool _mounted;

    private Tmpfs(TempDirectory folder)
    {
        _folder = folder;
    }

    public string Path => _folder.Path;

    public static async Task<Tmpfs> MountAsync(string size)
    {
        var tmpfs = new Tmpfs(new TempDirectory("containers-it-tmpfs-"));
        await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={size},mode=0755", "tmpfs", tmpfs.Path], new ProcessOptions { Timeout = TimeSpan.FromSeconds(30) });
        tmpfs._mounted = true;
        return tmpfs;
    }

    /// <summary>Gives the disk another size and keeps what it holds: space freed under the same folder.</summary>
    public Task ResizeAsync(string size)
        => ProcessRunner.RunAsync("mount", ["-o", $"remount,size={size}", Path], new ProcessOptions { Timeout = TimeSpan.FromSeconds(30) });

    public void Dispose()
    {
        if (_mounted)
        {
            ProcessRunner.RunAsync("umount", ["-l", Path], new ProcessOptions { Timeout = TimeSpan.FromSeconds(30), CheckExitCode = false }).GetAwaiter().GetResult();
        }
        _folder.Dispose();
    }
}

/// <summary>A test that mounts a <see cref="Tmpfs"/>: skipped, saying why, when this process may not mount.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "tmpfs is Linux's";
        else if (!Environment.IsPrivilegedProcess) Skip = "mounting a tmpfs needs root (id -u is not 0)";
    }
}
