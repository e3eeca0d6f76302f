using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Errors;
using Containers.Oci.Registry;

namespace Containers.IntegrationTests.Auth;

/// <summary>
/// A registry behind TLS with a certificate from a throw-away CA (and Basic authentication). Trusted through the
/// options, the whole contract holds; untrusted, the error says so and how to fix it; listed as insecure, it works.
/// </summary>
public sealed class TlsRegistryTests(TlsRegistryFixture registry, ITestOutputHelper output)
    : AuthenticatedRegistryContract(registry, output), IClassFixture<TlsRegistryFixture>
{
    private Dictionary<string, string> Credentials() => Stores.With(CredentialStore.Environment, registry.Registry, registry.Username, registry.Password);

    [Fact]
    public async Task An_untrusted_certificate_is_CONTAINER5101_pointing_at_the_insecure_registries_setting()
    {
        var options = Options(Credentials()) with { TrustedCertificates = null };
        using var client = new RegistryClient(registry.Registry, options);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync("any/thing", "1"));

        Log.Error(error);
        Assert.Equal(ErrorCatalogue.RegistryCertificateUntrusted.Code, error.Code);
        Assert.Contains($"'{registry.Registry}'", error.Message);
        Assert.Contains("UntrustedRoot", error.Message);
        Assert.Contains("DOTNET_CONTAINER_INSECURE_REGISTRIES", error.Message);
        Assert.Contains("CONTAINERS_REGISTRY_CA_BUNDLE", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_registry_listed_as_insecure_works_without_trusting_its_certificate(bool byHostOnly)
    {
        var environment = Credentials();
        environment[RegistryEnvironment.InsecureRegistries] = "other.example.com; " + (byHostOnly ? "localhost" : registry.Registry);

        var options = Options(environment) with { TrustedCertificates = null };
        using var client = new RegistryClient(registry.Registry, options);
        await client.PingAsync();
        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync("it/never-pushed", "1"));

        Assert.Equal(ErrorCatalogue.RepositoryNotFound.Code, error.Code);   // through TLS and authenticated: a 404

        Assert.True(client.Endpoint.IsInsecure);
        Assert.False(Log.Contains("does not speak TLS"), "it has TLS: no fallback to HTTP");
    }

    [Fact]
    public async Task A_CA_bundle_named_in_the_environment_is_trusted()
    {
        var environment = Credentials();
        environment[RegistryEnvironment.CaBundle] = registry.AuthorityPath;

        var options = Options(environment) with { TrustedCertificates = null };
        using var clients = new RegistryClientProvider(options);
        var error = await Assert.ThrowsAsync<ContainerException>(() => clients.Get(registry.Registry).GetManifestAsync("it/never-pushed", "1"));

        Assert.Equal(ErrorCatalogue.RepositoryNotFound.Code, error.Code);
    }

    [Fact]
    public async Task By_default_a_loopback_registry_is_insecure_so_its_certificate_is_not_checked()
    {
        var options = Options(Credentials()) with { TrustedCertificates = null, TreatLoopbackAsInsecure = true };

        using var client = new RegistryClient(registry.Registry, options);
        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync("it/never-pushed", "1"));

        Assert.Equal(ErrorCatalogue.RepositoryNotFound.Code, error.Code);
    }

    [Fact]
    public async Task A_push_to_the_TLS_registry_at_127_0_0_1_whose_first_request_is_a_HEAD_finds_its_TLS()
    {
        // Nothing is read from this registry first (the layers are local, as with a base image from elsewhere), so
        // the push starts with HEADs, whose 400 from a TLS server has no body to say why.
        var loopback = "127.0.0.1:" + registry.Registry[(registry.Registry.LastIndexOf(':') + 1)..];
        var options = Options(Credentials()) with { TrustedCertificates = null, TreatLoopbackAsInsecure = true };

        await PushAsync(Credentials(), via: loopback, options: options);

        Assert.True(Log.Contains("speaks TLS; using HTTPS"), "it found out the registry speaks TLS");
    }
}
