using System.Runtime.InteropServices;
using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.Oci.Destinations;

/// <summary>The platform this machine runs natively, for destinations that can hold only one image of an index.</summary>
public static class HostPlatform
{
    public static Platform Current => new(RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "386",
        Architecture.Arm => "arm",
        var other => other.ToString().ToLowerInvariant(),
    }, "linux");

    /// <summary>The index's image for the host's architecture, else its first.</summary>
    public static BuiltImage Pick(BuiltIndex index)
    {
        var host = Current;
        var platforms = index.Platforms;
        for (var i = 0; i < platforms.Count; i++)
        {
            if (host.IsSatisfiedBy(platforms[i])) return index.Images[i];
        }
        return index.Images[0];
    }
}
