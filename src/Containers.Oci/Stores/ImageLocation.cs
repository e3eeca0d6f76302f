using Containers.Oci.Errors;
using Containers.Oci.Names;

namespace Containers.Oci.Stores;

/// <summary>
/// Where a base image is: a registry (the usual case), or, written with a scheme prefix in ContainerBaseImage,
/// an OCI layout folder, a docker-archive or oci-archive file, or the local docker or podman store.
/// Plain data, checked when parsed; <see cref="ImageSources"/> turns it into an <see cref="IImageSource"/>.
/// </summary>
public abstract record ImageLocation
{
    /// <summary>The scheme prefixes, with the skopeo transport names as aliases.</summary>
    private static readonly Dictionary<string, string> Schemes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["oci-layout"] = "oci-layout",
        ["oci"] = "oci-layout",
        ["oci-archive"] = "oci-archive",
        ["docker-archive"] = "docker-archive",
        ["docker-daemon"] = "docker-daemon",
        ["podman"] = "podman",
        ["containers-storage"] = "podman",
    };

    /// <summary>A registry reference needs no conversion: it is the location it names.</summary>
    public static implicit operator ImageLocation(ImageReference reference) => new RegistryLocation(reference);

    /// <summary>
    /// Parses ContainerBaseImage. Text that starts with a known scheme and also reads as a registry reference (for
    /// example <c>podman:myapp</c>, which is Docker Hub's <c>podman</c> image with tag <c>myapp</c>) is rejected as
    /// ambiguous rather than guessed.
    /// </summary>
    /// <param name="baseDirectory">Relative paths are resolved against it: the project folder.</param>
    public static ImageLocation Parse(string text, string baseDirectory)
    {
        text = text.Trim();
        var colon = text.IndexOf(':');
        if (colon > 0 && Schemes.TryGetValue(text[..colon], out var scheme))
        {
            var rest = text[(colon + 1)..];
            if (ImageReference.TryParse(text, out var asReference, out _))
            {
                throw ErrorCatalogue.AmbiguousBaseImage.ToException(text, Describe(scheme, rest), asReference);
            }
            return scheme switch
            {
                "oci-layout" => ParseLayout(text, rest, baseDirectory),
                "oci-archive" => ParseArchive(text, rest, baseDirectory, ArchiveFormat.OciArchive),
                "docker-archive" => ParseArchive(text, rest, baseDirectory, ArchiveFormat.DockerArchive),
                "docker-daemon" => ParseDaemon(text, rest, LocalDaemonKind.Docker),
                _ => ParseDaemon(text, rest, LocalDaemonKind.Podman),
            };
        }
        if (ImageReference.TryParse(text, out var reference, out var reason)) return new RegistryLocation(reference);
        if (LooksLikePath(text))
        {
            throw ErrorCatalogue.InvalidImageReference.ToException(text,
                "it looks like a file or folder; write 'oci-layout:', 'oci-archive:' or 'docker-archive:' before a local path");
        }
        throw ErrorCatalogue.InvalidImageReference.ToException(text, reason);
    }

    private static OciLayoutLocation ParseLayout(string text, string rest, string baseDirectory)
    {
        // path@sha256:… names a manifest by digest; path:name by its ref name.
        var at = rest.LastIndexOf('@');
        if (at > 0 && Model.Digest.TryParse(rest[(at + 1)..], out var digest))
        {
            return new OciLayoutLocation(ResolvePath(text, rest[..at], baseDirectory), null, digest.ToString());
        }
        var (path, name) = SplitPath(rest);
        return new OciLayoutLocation(ResolvePath(text, path, baseDirectory), name, null);
    }

    private static ArchiveLocation ParseArchive(string text, string rest, string baseDirectory, ArchiveFormat format)
    {
        var (path, name) = SplitPath(rest);
        return new ArchiveLocation(format, ResolvePath(text, path, baseDirectory), name);
    }

    private static DaemonStoreLocation ParseDaemon(string text, string rest, LocalDaemonKind daemon)
    {
        if (rest.Length == 0 || rest.Any(char.IsWhiteSpace) || rest.StartsWith('-'))
        {
            throw ErrorCatalogue.InvalidBaseImageLocation.ToException(text, "it needs an image name after the prefix, for example 'podman:myapp:1.0'");
        }
        return new DaemonStoreLocation(daemon, rest);
    }

    /// <summary>Splits <c>path[:name]</c> at the first ':' that is not part of a Windows drive (<c>C:\</c>).</summary>
    private static (string Path, string? Name) SplitPath(string rest)
    {
        var start = rest.Length >= 3 && char.IsAsciiLetter(rest[0]) && rest[1] == ':' && rest[2] is '\\' or '/' ? 2 : 0;
        var colon = rest.IndexOf(':', start);
        if (colon < 0) return (rest, null);
        var name = rest[(colon + 1)..];
        return (rest[..colon], name.Length == 0 ? null : name);
    }

    private static string ResolvePath(string text, string path, string baseDirectory)
    {
        if (path.Length == 0) throw ErrorCatalogue.InvalidBaseImageLocation.ToException(text, "it needs a path after the prefix");
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'));
        }
        return Path.GetFullPath(path, baseDirectory);
    }

    private static bool LooksLikePath(string text)
        => text.StartsWith('/') || text.StartsWith('.') || text.StartsWith('~') || text.Contains('\\')
           || (text.Length >= 3 && char.IsAsciiLetter(text[0]) && text[1] == ':' && text[2] is '\\' or '/');

    private static string Describe(string scheme, string rest) => scheme switch
    {
        "docker-daemon" => $"the image '{rest}' in the local docker store",
        "podman" => $"the image '{rest}' in the local podman store",
        "oci-layout" => $"the OCI layout folder '{rest}'",
        _ => $"the {scheme} file '{rest}'",
    };
}

public enum ArchiveFormat
{
    /// <summary><c>manifest.json</c> with config and layer files, as <c>docker save</c> writes.</summary>
    DockerArchive,

    /// <summary>An OCI image layout in a tar, as <c>podman save --format oci-archive</c> writes.</summary>
    OciArchive,
}

/// <summary>An image in a registry.</summary>
public sealed record RegistryLocation(ImageReference Reference) : ImageLocation
{
    public override string ToString() => Reference.ToString();
}

/// <summary>An image in an OCI layout folder, chosen by ref name or manifest digest (or the only one there).</summary>
public sealed record OciLayoutLocation(string Path, string? Name, string? Digest) : ImageLocation
{
    public override string ToString() => "oci-layout:" + Path + (Digest is not null ? "@" + Digest : Name is not null ? ":" + Name : "");
}

/// <summary>An image in a docker-archive or oci-archive file, chosen by name (or the only one there).</summary>
public sealed record ArchiveLocation(ArchiveFormat Format, string Path, string? Name) : ImageLocation
{
    public override string ToString() => (Format == ArchiveFormat.DockerArchive ? "docker-archive:" : "oci-archive:") + Path + (Name is null ? "" : ":" + Name);
}

/// <summary>An image in the local docker or podman store, by the name or id the engine knows it by.</summary>
public sealed record DaemonStoreLocation(LocalDaemonKind? Daemon, string Name) : ImageLocation
{
    public override string ToString() => (Daemon == LocalDaemonKind.Docker ? "docker-daemon:" : "podman:") + Name;
}
