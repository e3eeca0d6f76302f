using System.Runtime.InteropServices;
using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.Oci.Stores;

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
    public static IImage Pick(IImageIndex index)
    {
        var host = Current;
        return index.Images.FirstOrDefault(i => i.Platform is { } platform && host.IsSatisfiedBy(platform)) ?? index.Images[0];
    }
}
