using System.Net;
using Containers.Oci.Names;

namespace Containers.Oci.Registry;

/// <summary>
/// Where a registry's API answers: the scheme and the host. This is the one place that decides between HTTPS and
/// plain HTTP, so an insecure-registries setting (DOTNET_CONTAINER_INSECURE_REGISTRIES) can be added here later.
/// </summary>
public sealed record RegistryEndpoint
{
    private const string DockerHubApiHost = "registry-1.docker.io";

    private RegistryEndpoint(string registry, Uri baseUri)
    {
        Registry = registry;
        BaseUri = baseUri;
    }

    /// <summary>The registry as the user wrote it (e.g. <c>127.0.0.1:5000</c>); error messages name this.</summary>
    public string Registry { get; }

    /// <summary>The API root, e.g. <c>https://myregistry.example.com/</c>; paths such as <c>v2/</c> are resolved against it.</summary>
    public Uri BaseUri { get; }

    public bool IsInsecure => BaseUri.Scheme == Uri.UriSchemeHttp;

    /// <summary>HTTPS, except for loopback registries: a registry on this machine is almost always a plain-HTTP test registry.</summary>
    public static RegistryEndpoint For(string registry)
    {
        var apiHost = registry == ImageReference.DockerHub ? DockerHubApiHost : registry;
        var scheme = IsLoopback(registry) ? Uri.UriSchemeHttp : Uri.UriSchemeHttps;
        if (!Uri.TryCreate($"{scheme}://{apiHost}/", UriKind.Absolute, out var baseUri))
        {
            throw new ArgumentException($"'{registry}' is not a registry host.", nameof(registry));
        }
        return new RegistryEndpoint(registry, baseUri);
    }

    /// <summary>True for <c>localhost</c> and every loopback address (127.0.0.0/8, [::1]), with or without a port.</summary>
    public static bool IsLoopback(string registry)
    {
        var host = HostOf(registry);
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
