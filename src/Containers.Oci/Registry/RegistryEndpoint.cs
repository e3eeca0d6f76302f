using System.Net;
using Containers.Oci.Errors;
using Containers.Oci.Names;

namespace Containers.Oci.Registry;

/// <summary>
/// Where a registry's API answers, and whether it is insecure. Every registry is spoken to over HTTPS first; an insecure
/// one (on this machine, or listed in DOTNET_CONTAINER_INSECURE_REGISTRIES) without verifying its certificate, and over
/// plain HTTP when it has no TLS at all (see <see cref="Handlers.SchemeFallbackHandler"/>).
/// </summary>
public sealed record RegistryEndpoint
{
    private const string DockerHubApiHost = "registry-1.docker.io";

    private RegistryEndpoint(string registry, Uri baseUri, bool isInsecure)
    {
        Registry = registry;
        BaseUri = baseUri;
        IsInsecure = isInsecure;
    }

    /// <summary>The registry as the user wrote it (e.g. <c>127.0.0.1:5000</c>); error messages name this.</summary>
    public string Registry { get; }

    /// <summary>The API root, always <c>https://host[:port]/</c>; an insecure registry without TLS is then reached at the same place over HTTP.</summary>
    public Uri BaseUri { get; }

    /// <summary>Its certificate is not verified and plain HTTP is allowed.</summary>
    public bool IsInsecure { get; }

    /// <param name="insecure">Null: insecure when on this machine (loopback).</param>
    public static RegistryEndpoint For(string registry, bool? insecure = null)
    {
        var apiHost = registry == ImageReference.DockerHub ? DockerHubApiHost : registry;
        // Normally checked when the reference was parsed; a caller of the engine may pass anything.
        if (!ImageReference.IsValidRegistry(registry) || !Uri.TryCreate($"https://{apiHost}/", UriKind.Absolute, out var baseUri))
        {
            throw ErrorCatalogue.InvalidRegistryName.ToException(registry, "expected a host name with an optional port from 1 to 65535");
        }
        return new RegistryEndpoint(registry, baseUri, insecure ?? IsLoopback(registry));
    }

    /// <summary>True for a URL on the registry's own host and port, whatever its scheme.</summary>
    public bool IsRegistryHost(Uri? uri)
        => uri is not null && uri.IdnHost.Equals(BaseUri.IdnHost, StringComparison.OrdinalIgnoreCase)
           && (uri.Port == BaseUri.Port || (uri.Scheme == Uri.UriSchemeHttp && uri.IsDefaultPort && BaseUri.IsDefaultPort));

    /// <summary>True for <c>localhost</c> and every loopback address (127.0.0.0/8, [::1]), with or without a port.</summary>
    public static bool IsLoopback(string registry) => IsLoopbackHost(HostOf(registry));

    /// <summary>The same test on a host alone (no port; an IPv6 address with or without brackets).</summary>
    public static bool IsLoopbackHost(string host)
    {
        host = host.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>The host part of <c>host[:port]</c>, <c>[v6]:port</c> or <c>[v6]</c>, without brackets.</summary>
    internal static string HostOf(string registry)
    {
        if (registry.StartsWith('['))
        {
            var close = registry.IndexOf(']');
            return close > 0 ? registry[1..close] : registry;
        }
        var colon = registry.IndexOf(':');
        return colon >= 0 ? registry[..colon] : registry;
    }
}
