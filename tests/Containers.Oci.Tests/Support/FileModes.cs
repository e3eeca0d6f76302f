namespace Containers.Oci.Tests.Support;

/// <summary>Unix file modes in the octal form tests read best.</summary>
public static class FileModes
{
    public const int Rw_r__r__ = 0b110_100_100;
    public const int Rwxr_xr_x = 0b111_101_101;

    public static void Set(string path, int mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)mode);
    }

    public static string Octal(int mode) => Convert.ToString(mode, 8);

    public static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8);
}
