using Containers.Oci.Registry;

namespace Containers.Oci.Tests.Registry;

public sealed class RegistryEndpointTests
{
    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:5000")]
    [InlineData("LOCALHOST:5000")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:41234")]
    [InlineData("127.1.2.3:5000")]
    [InlineData("[::1]")]
    [InlineData("[::1]:5000")]
    public void Loopback_registries_are_insecure_and_tried_over_https_first(string registry)
    {
        var endpoint = RegistryEndpoint.For(registry);

        Assert.True(endpoint.IsInsecure);
        Assert.Equal("https", endpoint.BaseUri.Scheme);
        Assert.Equal(registry, endpoint.Registry);
    }

    [Theory]
    [InlineData("myregistry.example.com")]
    [InlineData("myregistry.example.com:5000")]
    [InlineData("localhost.example.com")]
    [InlineData("128.0.0.1:5000")]
    [InlineData("10.0.0.1:5000")]
    [InlineData("ghcr.io")]
    public void Other_registries_are_secure(string registry)
    {
        var endpoint = RegistryEndpoint.For(registry);

        Assert.False(endpoint.IsInsecure);
        Assert.Equal("https", endpoint.BaseUri.Scheme);
    }

    [Fact]
    public void Docker_Hub_is_reached_on_its_api_host()
        => Assert.Equal(new Uri("https://registry-1.docker.io/"), RegistryEndpoint.For("docker.io").BaseUri);

    [Fact]
    public void The_port_is_kept_in_the_base_uri()
        => Assert.Equal(new Uri("https://127.0.0.1:41234/"), RegistryEndpoint.For("127.0.0.1:41234").BaseUri);

    [Theory]
    [InlineData("https://registry.example.com:5000/v2/x", true)]
    [InlineData("http://registry.example.com:5000/v2/x", true)]
    [InlineData("https://REGISTRY.example.com:5000/", true)]
    [InlineData("https://registry.example.com/v2/x", false)]
    [InlineData("https://registry.example.com:5001/v2/x", false)]
    [InlineData("https://storage.example.com:5000/blob", false)]
    public void Only_the_registrys_own_host_and_port_are_its_host(string url, bool expected)
        => Assert.Equal(expected, RegistryEndpoint.For("registry.example.com:5000").IsRegistryHost(new Uri(url)));

    [Fact]
    public void A_registry_without_a_port_matches_the_default_port_of_either_scheme()
    {
        var endpoint = RegistryEndpoint.For("registry.example.com", insecure: true);

        Assert.True(endpoint.IsRegistryHost(new Uri("https://registry.example.com/v2/")));
        Assert.True(endpoint.IsRegistryHost(new Uri("http://registry.example.com/v2/")));
        Assert.True(endpoint.IsInsecure);
    }
}
