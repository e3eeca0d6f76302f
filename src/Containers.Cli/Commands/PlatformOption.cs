using System.CommandLine;
using Containers.Oci.Model;

namespace Containers.Cli.Commands;

/// <summary>A platform as <c>os/arch[/variant]</c> (<c>linux/arm64</c>), or a .NET runtime identifier (<c>linux-arm64</c>).</summary>
public static class PlatformOption
{
    public static Option<string?> Create(string description) => new("--platform")
    {
        Description = description + " Written os/arch[/variant], e.g. linux/arm64, or as a runtime identifier, e.g. linux-arm64.",
        HelpName = "PLATFORM",
    };

    public static Platform? Parse(string? text, string command)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Trim().Split('/');
        if (parts.Length is 2 or 3 && parts.All(p => p.Length > 0 && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.')))
        {
            return new Platform(parts[1], parts[0], parts.Length == 3 ? parts[2] : null);
        }
        if (Platform.TryFromRuntimeIdentifier(text.Trim(), out var platform)) return platform;
        throw CommandRunner.Usage(command, $"'{text}' is not a platform: write os/arch[/variant], for example linux/amd64 or linux/arm/v7, or a runtime identifier such as linux-x64");
    }

    /// <summary>The runtime identifier of a platform, for the build's settings (which speak RIDs, as MSBuild does).</summary>
    public static string RuntimeIdentifier(string text, string command)
    {
        var trimmed = text.Trim();
        if (!trimmed.Contains('/'))
        {
            _ = Parse(trimmed, command);   // a runtime identifier is checked, then kept as written
            return trimmed;
        }
        var platform = Parse(trimmed, command)!;
        var arch = (platform.Architecture, platform.Variant) switch
        {
            ("amd64", _) => "x64",
            ("arm64", _) => "arm64",
            ("386", _) => "x86",
            ("arm", _) => "arm",
            ("s390x", _) => "s390x",
            ("ppc64le", _) => "ppc64le",
            ("riscv64", _) => "riscv64",
            ("loong64", _) => "loongarch64",
            _ => throw CommandRunner.Usage(command, $"the platform '{text}' has no .NET runtime identifier"),
        };
        return $"{platform.Os switch { "windows" => "win", var os => os }}-{arch}";
    }
}
