using System.Text.Json.Serialization;

namespace Containers.Oci.Model;

/// <summary>An OCI platform: os, architecture and optional variant.</summary>
public sealed record Platform(
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("variant"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Variant = null)
{
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";

    /// <summary>Maps a .NET runtime identifier such as <c>linux-x64</c> or <c>linux-musl-arm</c> to its platform.</summary>
    public static bool TryFromRuntimeIdentifier(string rid, out Platform platform)
    {
        platform = null!;
        var dash = rid.LastIndexOf('-');
        if (dash <= 0) return false;
        var osPart = rid[..dash];
        var archPart = rid[(dash + 1)..];
        string? os = osPart switch
        {
            _ when osPart.StartsWith("linux", StringComparison.Ordinal) => "linux",
            _ when osPart.StartsWith("win", StringComparison.Ordinal) => "windows",
            _ => null,
        };
        (string arch, string? variant)? cpu = archPart switch
        {
            "x64" => ("amd64", null),
            "x86" => ("386", null),
            "arm64" => ("arm64", "v8"),
            "arm" => ("arm", "v7"),
            "s390x" => ("s390x", null),
            "ppc64le" => ("ppc64le", null),
            "loongarch64" => ("loong64", null),
            "riscv64" => ("riscv64", null),
            _ => null,
        };
        if (os is null || cpu is null) return false;
        platform = new Platform(cpu.Value.arch, os, cpu.Value.variant);
        return true;
    }

    /// <summary>True when an image of <paramref name="candidate"/> can serve this platform. A missing variant matches any.</summary>
    public bool IsSatisfiedBy(Platform candidate)
        => candidate.Os == Os && candidate.Architecture == Architecture
           && (Variant is null || candidate.Variant is null || candidate.Variant == Variant);
}
