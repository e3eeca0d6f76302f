using System.Text.RegularExpressions;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Names;

namespace Containers.Oci.Publishing;

/// <summary>Validates and converts user input (from MSBuild items, a CLI or a file) into engine values. No I/O.</summary>
public static partial class InputParsers
{
    /// <summary>A port item: a number, and a type of tcp (the default) or udp.</summary>
    public static ExposedPort ParsePort(string number, string? type)
    {
        number = number.Trim();
        if (number.Length == 0) throw ErrorCatalogue.MissingPortNumber.ToException(number);
        var typeText = string.IsNullOrWhiteSpace(type) ? "tcp" : type.Trim().ToLowerInvariant();
        var validNumber = int.TryParse(number, out var port) && port is > 0 and <= 65535;
        PortType? parsedType = typeText switch { "tcp" => PortType.Tcp, "udp" => PortType.Udp, _ => null };
        if (!validNumber || parsedType is null) throw ErrorCatalogue.InvalidPort.ToException(number, type ?? "");
        return new ExposedPort(port, parsedType.Value);
    }

    /// <summary>POSIX-portable variable names: letters, digits and '_', not starting with a digit.</summary>
    public static bool IsValidEnvironmentVariableName(string name) => EnvName().IsMatch(name);

    /// <summary>ContainerImageTag or the ';'-separated ContainerImageTags (not both), validated.</summary>
    public static IReadOnlyList<string> ParseTags(string? tag, string? tags)
    {
        var hasTag = !string.IsNullOrWhiteSpace(tag);
        var hasTags = !string.IsNullOrWhiteSpace(tags);
        if (hasTag && hasTags) throw ErrorCatalogue.AmbiguousTags.ToException("ContainerImageTag", "ContainerImageTags");
        if (hasTag)
        {
            var single = tag!.Trim();
            if (!ImageReference.IsValidTag(single)) throw ErrorCatalogue.InvalidTag.ToException("ContainerImageTag", single);
            return [single];
        }
        if (hasTags)
        {
            var list = tags!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
            if (list.Count == 0 || list.Any(t => !ImageReference.IsValidTag(t))) throw ErrorCatalogue.InvalidTags.ToException("ContainerImageTags", tags);
            return list;
        }
        return ["latest"];
    }

    /// <summary>An output registry host; empty means "none" (a local destination).</summary>
    public static string? ParseRegistry(string? registry)
    {
        if (string.IsNullOrWhiteSpace(registry)) return null;
        var host = registry.Trim();
        foreach (var scheme in new[] { "https://", "http://" })
        {
            if (host.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) host = host[scheme.Length..];
        }
        host = host.TrimEnd('/');
        if (!ImageReference.IsValidRegistry(host)) throw ErrorCatalogue.InvalidRegistryName.ToException(registry, "expected a host name with an optional port");
        return host == "index.docker.io" ? ImageReference.DockerHub : host;
    }

    /// <summary>
    /// The image's platform for a runtime identifier (CONTAINER5008 when it has none). A RID is letters, digits, '.'
    /// and '-': a list ('linux-x64;linux-arm64') is not read as its last platform.
    /// </summary>
    public static Model.Platform ParsePlatform(string runtimeIdentifier)
        => RuntimeIdentifier().IsMatch(runtimeIdentifier) && Model.Platform.TryFromRuntimeIdentifier(runtimeIdentifier, out var platform)
            ? platform
            : throw ErrorCatalogue.UnsupportedRuntimeIdentifier.ToException(runtimeIdentifier);

    /// <summary>ContainerWorkingDirectory as the app folder in the image, ending in '/' (CONTAINER5002, 5400).</summary>
    public static string ParseWorkingDirectory(string workingDirectory)
        => workingDirectory.StartsWith('/')
            ? Layers.ImagePath.AsDirectory(workingDirectory)
            : throw ErrorCatalogue.InvalidWorkingDirectory.ToException(workingDirectory);

    /// <summary>ContainerImageFormat as a manifest media type; null when empty (the publisher then decides, see ContainerPublisher).</summary>
    public static string? ParseImageFormat(string? format) => format?.Trim() switch
    {
        null or "" => null,
        var f when f.Equals("OCI", StringComparison.OrdinalIgnoreCase) => Model.MediaTypes.OciManifest,
        var f when f.Equals("Docker", StringComparison.OrdinalIgnoreCase) => Model.MediaTypes.DockerManifest,
        var f => throw ErrorCatalogue.InvalidImageFormat.ToException(f, "OCI, Docker"),
    };

    [GeneratedRegex("^[A-Za-z0-9.-]+\\z")]
    private static partial Regex RuntimeIdentifier();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*\\z")]
    private static partial Regex EnvName();
}
