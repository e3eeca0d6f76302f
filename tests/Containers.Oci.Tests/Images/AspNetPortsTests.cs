using Containers.Oci.Images;

namespace Containers.Oci.Tests.Images;

public class AspNetPortsTests
{
    private static string[] Ports(params (string Name, string Value)[] env)
        => AspNetPorts.FromEnvironment(env.ToDictionary(e => e.Name, e => e.Value)).Select(p => p.ToString()).ToArray();

    [Theory]
    [InlineData("http://+:80", "80/tcp")]
    [InlineData("http://*:8080/", "8080/tcp")]
    [InlineData("http://localhost:5000", "5000/tcp")]
    [InlineData("https://[::]:8443", "8443/tcp")]
    [InlineData("http://0.0.0.0:5000;https://0.0.0.0:5001", "5000/tcp;5001/tcp")]
    [InlineData(" http://+:80 ; https://+:443 ", "80/tcp;443/tcp")]
    public void FromUrls_TakesEachUrlsPort(string urls, string expected)
        => Assert.Equal(expected.Split(';'), Ports(("ASPNETCORE_URLS", urls)));

    [Fact]
    public void FromUrls_AUrlWithoutAPort_IsSkipped()
        => Assert.Equal(["5000/tcp"], Ports(("ASPNETCORE_URLS", "http://localhost;http://+:5000")));

    [Fact]
    public void FromPortVariables_BothHttpAndHttpsCount()
        => Assert.Equal(["8080/tcp", "8081/tcp", "8443/tcp"],
            Ports(("ASPNETCORE_HTTP_PORTS", "8080;8081"), ("ASPNETCORE_HTTPS_PORTS", "8443")));

    [Fact]
    public void Urls_WinOverThePortVariables()
        => Assert.Equal(["5000/tcp"],
            Ports(("ASPNETCORE_HTTP_PORTS", "8080"), ("ASPNETCORE_HTTPS_PORTS", "8443"), ("ASPNETCORE_URLS", "http://+:5000")));

    [Fact]
    public void NonNumericPorts_AreSkipped_AndNoVariables_MeansNoPorts()
    {
        Assert.Equal(["8080/tcp"], Ports(("ASPNETCORE_HTTP_PORTS", "abc;8080;")));
        Assert.Empty(Ports(("PATH", "/bin")));
    }

    [Fact]
    public void PortsOutOfRange_AreSkipped()
    {
        Assert.Equal(["8080/tcp"], Ports(("ASPNETCORE_HTTP_PORTS", "-5;0;8080;65536")));
        Assert.Equal(["443/tcp"], Ports(("ASPNETCORE_URLS", "http://+:99999;https://+:443")));
    }
}
