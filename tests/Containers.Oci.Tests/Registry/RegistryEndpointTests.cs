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
    public void Loopback_registries_use_plain_http(string registry)
    {
        var endpoint = RegistryEndpoint.For(registry);

        Assert.True(endpoint.IsInsecure);
        Assert.Equal("http", endpoint.BaseUri.Scheme);
        Assert.Equal(registry, endpoint.Registry);
    }

    [Theory]
    [InlineData("myregistry.example.com")]
    [InlineData("myregistry.example.com:5000")]
    [InlineData("localhost.example.com")]
    [InlineData("128.0.0.1:5000")]
    [InlineData("10.0.0.1:5000")]
    [InlineData("ghcr.io")]
    public void Other_registries_use_https(string registry)
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
        => Assert.Equal(new Uri("http://127.0.0.1:41234/"), RegistryEndpoint.For("127.0.0.1:41234").BaseUri);
}
