using System.Net;
using Containers.Oci.Errors;
using Containers.Oci.Registry;

namespace Containers.Oci.Tests.Registry;

/// <summary>A 401 the client cannot answer says what was wrong with the challenge; a realm that is no URL is coded.</summary>
public sealed class UnusableChallengeTests
{
    private static readonly (string, string)[] Alice = [("DOTNET_CONTAINER_REGISTRY_UNAME", "alice"), ("DOTNET_CONTAINER_REGISTRY_PWORD", "s3cret")];

    [Theory]
    [InlineData("Bearer service=\"registry\"", "its challenge 'Bearer service=\"registry\"' has no realm to ask for a token")]
    [InlineData("Negotiate", "it asks for 'Negotiate' authentication, and only Basic and Bearer are supported")]
    [InlineData(null, "its 401 answer has no WWW-Authenticate challenge saying how to authenticate")]
    public async Task With_credentials_set_an_unusable_challenge_says_what_was_wrong_and_that_they_were_not_sent(string? challenge, string why)
    {
        var handler = new FakeRegistryHandler(_ => challenge is null ? FakeRegistryHandler.Answer(HttpStatusCode.Unauthorized) : FakeRegistryHandler.Challenge(challenge));
        using var client = new RegistryClient("registry.example.com", FakeRegistryHandler.Options(Alice), handler);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync("app", "1"));

        Assert.Equal(ErrorCatalogue.RegistryAccessDenied.Code, error.Code);
        Assert.Matches($"user 'alice' from [^;]+ was found but not sent: {System.Text.RegularExpressions.Regex.Escape(why)}", error.Message);
        Assert.DoesNotContain("no credentials were sent", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
    }

    [Theory]
    [InlineData("token-service")]
    [InlineData("ftp://auth.example.com/token")]
    [InlineData("file:///etc/passwd")]
    public async Task A_bearer_realm_that_is_not_an_http_URL_is_CONTAINER5112(string realm)
    {
        var handler = new FakeRegistryHandler(_ => FakeRegistryHandler.Challenge($"Bearer realm=\"{realm}\",service=\"registry\""));
        using var client = new RegistryClient("registry.example.com", FakeRegistryHandler.Options(Alice), handler);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync("app", "1"));

        Assert.Equal(ErrorCatalogue.InvalidTokenRealm.Code, error.Code);
        Assert.Contains($"the realm '{realm}', which is not an absolute http or https URL", error.Message);
        Assert.Single(handler.Requests);
    }

    [Theory]
    [InlineData("localhost:99999")]
    [InlineData("localhost:0")]
    [InlineData("registry.example.com:123456")]
    public void A_registry_port_out_of_range_is_CONTAINER2012(string registry)
    {
        var error = Assert.Throws<ContainerException>(() => RegistryEndpoint.For(registry));

        Assert.Equal(ErrorCatalogue.InvalidRegistryName.Code, error.Code);
        Assert.False(Containers.Oci.Names.ImageReference.TryParse(registry + "/app:1", out _, out var reason));
        Assert.Contains("is not a number from 1 to 65535", reason);
    }
}
