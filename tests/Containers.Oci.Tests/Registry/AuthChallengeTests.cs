using Containers.Oci.Registry;
using Containers.Oci.Registry.Auth;

namespace Containers.Oci.Tests.Registry;

public sealed class AuthChallengeTests
{
    [Fact]
    public void A_bearer_challenge_gives_its_realm_service_and_scope()
    {
        var challenge = Assert.Single(AuthChallenge.Parse(["Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:samalba/my-app:pull,push\""]));

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.docker.io/token", challenge.Realm);
        Assert.Equal("registry.docker.io", challenge.Service);
        Assert.Equal("repository:samalba/my-app:pull,push", challenge.Scope);
    }

    [Fact]
    public void Several_challenges_in_one_header_are_told_apart_even_with_commas_in_quotes()
    {
        var challenges = AuthChallenge.Parse(["Basic realm=\"a, b\", Bearer realm=\"https://auth.example.com/token\", error=\"insufficient_scope\", Negotiate"]);

        Assert.Equal(["Basic", "Bearer", "Negotiate"], challenges.Select(c => c.Scheme));
        Assert.Equal("a, b", challenges[0].Realm);
        Assert.Equal("https://auth.example.com/token", challenges[1].Realm);
        Assert.Equal("insufficient_scope", challenges[1].Parameter("error"));
    }

    [Fact]
    public void Several_headers_each_give_their_challenges_and_names_are_case_insensitive()
    {
        var challenges = AuthChallenge.Parse(["basic REALM=registry", "BEARER Realm=\"https://x/token\" , Service = \"svc\""]);

        Assert.True(challenges[0].IsBasic);
        Assert.Equal("registry", challenges[0].Realm);
        Assert.True(challenges[1].IsBearer);
        Assert.Equal("svc", challenges[1].Service);
    }

    [Fact]
    public void Escaped_quotes_and_a_token68_do_not_break_parsing()
    {
        var challenges = AuthChallenge.Parse(["Custom abc123==, Bearer realm=\"https://x/t\\\"oken\""]);

        Assert.Equal("Bearer", challenges[^1].Scheme);
        Assert.Equal("https://x/t\"oken", challenges[^1].Realm);
    }

    [Fact]
    public void Bearer_with_a_realm_is_chosen_over_Basic()
    {
        using var response = FakeRegistryHandler.Challenge("Basic realm=\"r\", Bearer realm=\"https://auth/token\"");

        Assert.True(AuthChallenge.Choose(response)!.IsBearer);
    }

    [Theory]
    [InlineData(new[] { "repository:a:pull", "repository:a:push" }, new[] { "repository:a:pull,push" })]
    [InlineData(new[] { "repository:b:pull", "repository:a:pull,push", "repository:b:pull" }, new[] { "repository:a:pull,push", "repository:b:pull" })]
    [InlineData(new[] { "repository:a:pull repository:c:pull" }, new[] { "repository:a:pull", "repository:c:pull" })]
    [InlineData(new[] { "registry:catalog:*" }, new[] { "registry:catalog:*" })]
    public void Scopes_merge_per_resource_with_the_union_of_actions_in_a_stable_order(string[] scopes, string[] merged)
        => Assert.Equal(merged, RegistryScope.Merge(scopes));

    [Fact]
    public void A_scope_set_with_push_is_for_pushing()
    {
        Assert.True(RegistryScope.IncludesPush([RegistryScope.Pull("a"), RegistryScope.Push("b")]));
        Assert.False(RegistryScope.IncludesPush([RegistryScope.Pull("a")]));
    }
}
