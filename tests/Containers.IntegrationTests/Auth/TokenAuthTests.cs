using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Errors;
using Containers.Oci.Registry;

namespace Containers.IntegrationTests.Auth;

/// <summary>A registry with bearer-token authentication; the tokens come from <see cref="TokenServer"/> (RS256 JWTs).</summary>
public sealed class TokenAuthTests(TokenAuthRegistryFixture registry, ITestOutputHelper output)
    : AuthenticatedRegistryContract(registry, output), IClassFixture<TokenAuthRegistryFixture>
{
    [Fact]
    public async Task An_identity_token_from_Dockers_config_is_exchanged_with_the_refresh_token_grant()
    {
        var before = registry.Tokens.Requests.Count(r => r.Grant == "refresh_token");

        await PushAndPullAsync(Stores.WithIdentityToken(registry.Registry, registry.IdentityToken));

        Assert.True(registry.Tokens.Requests.Count(r => r.Grant == "refresh_token") > before);
        Assert.True(Log.Contains("using an identity token from"));
    }

    [Fact]
    public async Task Tokens_are_cached_per_scope_so_a_push_asks_for_few()
    {
        var environment = Stores.With(CredentialStore.Environment, registry.Registry, registry.Username, registry.Password);
        var before = registry.Tokens.Requests.Count;

        await PushAsync(environment);

        // Two layers, a config and a tag: checks, uploads and the manifest all share the push token of one repository.
        var fetched = registry.Tokens.Requests.Count - before;
        Assert.InRange(fetched, 1, 2);
    }

    [Fact]
    public async Task An_expired_token_is_fetched_again()
    {
        var environment = Stores.With(CredentialStore.Environment, registry.Registry, registry.Username, registry.Password);
        environment["DOTNET_CONTAINER_REGISTRY_UNAME"] = registry.ShortLivedUser;   // tokens that live 2 s
        var (target, _) = await PushAsync(environment);
        using var clients = new RegistryClientProvider(Options(environment));
        var client = clients.Get(registry.Registry);
        await client.GetManifestAsync(target.Repository, "1.0");
        var afterFirst = registry.Tokens.Requests.Count;

        await client.GetManifestAsync(target.Repository, "1.0");
        Assert.Equal(afterFirst, registry.Tokens.Requests.Count);   // still valid: served from the cache
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        await client.GetManifestAsync(target.Repository, "1.0");

        Assert.Equal(afterFirst + 1, registry.Tokens.Requests.Count);
    }

    [Fact]
    public async Task Wrong_credentials_are_refused_by_the_token_service_with_CONTAINER1016()
    {
        var environment = Stores.With(CredentialStore.PodmanAuthFile, registry.Registry, registry.Username, "not-the-password");
        using var clients = new RegistryClientProvider(Options(environment));

        var error = await Assert.ThrowsAsync<ContainerException>(() => clients.Get(registry.Registry).GetManifestAsync("some/repo", "1"));

        Log.Error(error);
        Assert.Equal(ErrorCatalogue.RegistryAccessDenied.Code, error.Code);
        Assert.Contains("token service", error.Message);
        Assert.Contains("401", error.Message);
        Assert.Contains("some/repo", error.Message);
    }

    [Fact]
    public async Task A_push_and_pull_through_a_failing_proxy_authenticate_retry_and_log_no_token()
    {
        var random = new Random(1234);
        var port = int.Parse(registry.Registry[(registry.Registry.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        await using var proxy = new FaultProxy(port, (_, _) =>
        {
            lock (random) return random.NextDouble() < 0.25 ? new Fault.Status(503, "Service Unavailable") : Fault.None;
        });
        var environment = Stores.With(CredentialStore.DockerConfigAuths, proxy.Registry, registry.Username, registry.Password);

        await PushAndPullAsync(environment, proxy.Registry, Options(environment) with { MaxRetries = 12 });

        Assert.True(proxy.Faults > 0);
        Assert.True(Log.Contains("trying again"));
    }
}
