namespace Containers.Oci.Tests.Layers;

/// <summary>A theory about FIFOs, sockets or file names only Unix has; skipped on Windows, as <see cref="Support.UnixFactAttribute"/> is.</summary>
public sealed class UnixTheoryAttribute : TheoryAttribute
{
    public UnixTheoryAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Unix only";
    }
}
