using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Errors;
using Containers.Oci.Registry;

namespace Containers.IntegrationTests.Auth;

/// <summary>A registry with htpasswd (Basic) authentication over plain HTTP on loopback.</summary>
public sealed class BasicAuthTests(BasicAuthRegistryFixture registry, ITestOutputHelper output)
    : AuthenticatedRegistryContract(registry, output), IClassFixture<BasicAuthRegistryFixture>
{
    [Fact]
    public async Task Credentials_in_the_environment_come_before_Dockers_config()
    {
        var environment = Stores.With(CredentialStore.DockerConfigAuths, registry.Registry, registry.Username, "stale-password-in-config");
        environment["DOTNET_CONTAINER_REGISTRY_UNAME"] = registry.Username;
        environment["DOTNET_CONTAINER_REGISTRY_PWORD"] = registry.Password;

        await PushAndPullAsync(environment);

        Assert.True(Log.Contains("from environment variables DOTNET_CONTAINER_REGISTRY_UNAME/PWORD"));
    }

    [Fact]
    public async Task A_broken_config_file_is_CONTAINER5104_naming_it()
    {
        var environment = Stores.Empty();
        var folder = Path.Combine(environment["HOME"], ".docker");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), "{ \"auths\": { broken");

        var error = await Assert.ThrowsAsync<ContainerException>(() => PushAsync(environment));

        Log.Error(error);
        Assert.Equal(ErrorCatalogue.CredentialFileInvalid.Code, error.Code);
        Assert.Contains(Path.Combine(folder, "config.json"), error.Message);
    }

    [Fact]
    public async Task The_registry_by_address_is_another_registry_and_needs_its_own_entry()
    {
        var byAddress = registry.Registry.Replace("localhost", "127.0.0.1");
        var environment = Stores.With(CredentialStore.DockerConfigAuths, registry.Registry, registry.Username, registry.Password);
        using var clients = new RegistryClientProvider(Options(environment));

        var error = await Assert.ThrowsAsync<ContainerException>(() => clients.Get(byAddress).GetManifestAsync("any/thing", "1"));

        Log.Error(error);
        Assert.Equal(ErrorCatalogue.RegistryAccessDenied.Code, error.Code);
        Assert.Contains("no credentials were found", error.Message);
    }
}
