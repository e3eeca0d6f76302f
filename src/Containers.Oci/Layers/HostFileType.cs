using System.Runtime.InteropServices;

namespace Containers.Oci.Layers;

/// <summary>What a path on the host is, read without following a link or opening the file.</summary>
public enum HostFileKind { Missing, File, Directory, Symlink, Fifo, Socket, BlockDevice, CharacterDevice, Other }

/// <summary>
/// Reads a path's file type with <c>lstat</c>. .NET reports a FIFO, a socket or a device as an ordinary file, and
/// opening a FIFO blocks until someone writes to it, so the type must come from the file system itself. The call goes
/// to the runtime's own native shim (<c>libSystem.Native</c>, which .NET's file APIs use on every Unix): its status
/// record is the same on every architecture, where libc's <c>struct stat</c> is not.
/// </summary>
internal static class HostFileType
{
    /// <summary>The kind of <paramref name="path"/> and its permission bits (0 on Windows).</summary>
    public static (HostFileKind Kind, int Permissions) Of(string path)
    {
        if (OperatingSystem.IsWindows()) return (OfWindows(path), 0);
        if (LStat(path, out var status) != 0) return (HostFileKind.Missing, 0);
        var kind = (status.Mode & TypeMask) switch
        {
            0x8000 => HostFileKind.File,
            0x4000 => HostFileKind.Directory,
            0xA000 => HostFileKind.Symlink,
            0x1000 => HostFileKind.Fifo,
            0xC000 => HostFileKind.Socket,
            0x6000 => HostFileKind.BlockDevice,
            0x2000 => HostFileKind.CharacterDevice,
            _ => HostFileKind.Other,
        };
        return (kind, status.Mode & 0b111_111_111_111);
    }

    /// <summary>Windows folders hold no FIFOs or devices; a reparse point with a target is a link or junction.</summary>
    private static HostFileKind OfWindows(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) return HostFileKind.Symlink;
        if (Directory.Exists(path)) return HostFileKind.Directory;
        return info.Exists ? HostFileKind.File : HostFileKind.Missing;
    }

    private const int TypeMask = 0xF000;

    // The shim's FileStatus starts with Flags and Mode (both int32); the rest of it (sizes, times, ids) is not read,
    // and the record is given room to spare so a later runtime's longer status cannot write past it.
    [StructLayout(LayoutKind.Explicit, Size = 512)]
    private struct FileStatus
    {
        [FieldOffset(4)] public int Mode;
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat")]
    private static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out FileStatus status);
}
