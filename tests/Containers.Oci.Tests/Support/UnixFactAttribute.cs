namespace Containers.Oci.Tests.Support;

/// <summary>A fact about Unix file modes, symlinks or tools; skipped on Windows, where they do not apply.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Unix only";
    }
}
