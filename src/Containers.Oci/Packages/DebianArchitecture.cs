using Containers.Oci.Model;

namespace Containers.Oci.Packages;

/// <summary>Debian's name for an OCI platform's architecture (dpkg --print-architecture inside such an image).</summary>
public static class DebianArchitecture
{
    public static string Of(Platform platform) => platform.Architecture switch
    {
        "amd64" => "amd64",
        "arm64" => "arm64",
        "arm" => platform.Variant is "v5" ? "armel" : "armhf",
        "386" => "i386",
        "ppc64le" => "ppc64el",
        "riscv64" => "riscv64",
        var other => other,   // s390x and mips64le are spelled alike
    };
}
