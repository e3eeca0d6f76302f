using Containers.Oci.Errors;
using Containers.Oci.Model;

namespace Containers.Oci.Names;

/// <summary>
/// A fully qualified image reference: <c>registry/repository[:tag][@digest]</c>.
/// Docker Hub names are normalised as docker does: <c>ubuntu</c> is <c>docker.io/library/ubuntu</c>.
/// </summary>
public sealed record ImageReference
{
    public const string DockerHub = "docker.io";

    public ImageReference(string registry, string repository, string? tag = null, string? digest = null)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host as written by users, e.g. <c>localhost:5000</c> or <c>docker.io</c>.</summary>
    public string Registry { get; }

    public string Repository { get; }

    public string? Tag { get; }

    public string? Digest { get; }

    /// <summary>The tag, else the digest, else <c>latest</c>: what to ask the registry for.</summary>
    public string TagOrDigest => Digest ?? Tag ?? "latest";

    /// <summary>The host the registry API answers on (Docker Hub's API host differs from its name).</summary>
    public string ApiHost => Registry == DockerHub ? "registry-1.docker.io" : Registry;

    public ImageReference WithTag(string tag) => new(Registry, Repository, tag, null);

    public ImageReference WithDigest(string digest) => new(Registry, Repository, Tag, digest);

    public override string ToString()
        => Registry + "/" + Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>Parses a reference; throws a coded <see cref="ContainerException"/> (CONTAINER2009) when it is not valid.</summary>
    public static ImageReference Parse(string text)
    {
        if (TryParse(text, out var reference, out var reason)) return reference;
        throw ErrorCatalogue.InvalidImageReference.ToException(text, reason);
    }

    public static bool TryParse(string? text, out ImageReference reference, out string reason)
    {
        reference = null!;
        reason = "";
        if (string.IsNullOrWhiteSpace(text)) { reason = "it is empty"; return false; }
        if (text.Any(char.IsWhiteSpace)) { reason = "it contains white space"; return false; }

        var rest = text;
        string? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!Model.Digest.TryParse(digest, out _)) { reason = $"'{digest}' is not a valid digest"; return false; }
        }

        string? tag = null;
        var lastColon = rest.LastIndexOf(':');
        if (lastColon > rest.LastIndexOf('/'))
        {
            tag = rest[(lastColon + 1)..];
            rest = rest[..lastColon];
            if (!IsValidTag(tag)) { reason = $"'{tag}' is not a valid tag"; return false; }
        }

        var (registry, repository) = SplitRegistry(rest);
        if (!ReferenceGrammar.Registry().IsMatch(registry)) { reason = $"'{registry}' is not a valid registry host"; return false; }
        if (!HasValidPort(registry)) { reason = $"the port of '{registry}' is not a number from 1 to 65535"; return false; }
        if (!IsValidRepository(repository, out var repoReason)) { reason = repoReason; return false; }

        reference = new ImageReference(registry, repository, tag, digest);
        return true;
    }

    /// <summary>Whether the text names its registry, or leaves it to the Docker Hub default (<c>ubuntu</c>, <c>dotnet/runtime:10.0</c>).</summary>
    public static bool NamesRegistry(string text)
    {
        var slash = text.Trim().IndexOf('/');
        return slash > 0 && IsRegistryPart(text.Trim()[..slash]);
    }

    /// <summary>Docker's rule: the first path part is a host only if it has a '.' or ':', or is 'localhost'.</summary>
    private static bool IsRegistryPart(string first)
        => first.Contains('.') || first.Contains(':') || first == "localhost" || first.Any(char.IsUpper);

    /// <summary>Splits the registry off a name by docker's rule (<see cref="IsRegistryPart"/>).</summary>
    private static (string Registry, string Repository) SplitRegistry(string name)
    {
        var slash = name.IndexOf('/');
        if (slash > 0)
        {
            var first = name[..slash];
            if (IsRegistryPart(first))
            {
                var registry = first == "index.docker.io" ? DockerHub : first;
                var repository = name[(slash + 1)..];
                if (registry == DockerHub && !repository.Contains('/')) repository = "library/" + repository;
                return (registry, repository);
            }
        }
        return (DockerHub, name.Contains('/') ? name : "library/" + name);
    }

    public static bool IsValidTag(string tag) => ReferenceGrammar.Tag().IsMatch(tag);

    public static bool IsValidRegistry(string registry) => ReferenceGrammar.Registry().IsMatch(registry) && HasValidPort(registry);

    /// <summary>The grammar allows any digits after ':'; a TCP port is 1 to 65535.</summary>
    private static bool HasValidPort(string registry)
    {
        var colon = registry.LastIndexOf(':');
        if (colon < 0 || registry.IndexOf(']', colon) >= 0) return true;
        var port = registry.AsSpan(colon + 1);
        return port.Length <= 5 && int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 65535;
    }

    public static bool IsValidRepository(string repository, out string reason)
    {
        reason = "";
        if (repository.Length == 0) { reason = "it is empty"; return false; }
        if (repository.Length > ReferenceGrammar.MaxNameLength) { reason = $"it is longer than {ReferenceGrammar.MaxNameLength} characters"; return false; }
        if (repository.Any(char.IsUpper)) { reason = "it contains upper-case letters"; return false; }
        if (!ReferenceGrammar.Repository().IsMatch(repository))
        {
            reason = "each '/'-separated part must be lower-case letters and digits, joined by '.', '_', '__' or dashes, and start and end with a letter or digit";
            return false;
        }
        return true;
    }
}
