using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Stores;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Names;
using Containers.Oci.Registry;

namespace Containers.IntegrationTests.Auth;

/// <summary>
/// What every registry that wants credentials must show, whatever its kind (Basic, tokens, TLS): a push and a pull work
/// with credentials from each place users keep them, and wrong or missing credentials fail with CONTAINER1016 saying
/// which credential was tried. No test's log ever holds a secret.
/// </summary>
public abstract class AuthenticatedRegistryContract(ConfiguredRegistryFixture registry, ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new("containers-it-auth-test-");

    protected CapturingLog Log { get; } = new(output);

    protected CredentialStores Stores => new(_temp.Combine("credentials"));

    protected ConfiguredRegistryFixture Registry => registry;

    public static TheoryData<CredentialStore> AllStores() => new(Enum.GetValues<CredentialStore>());

    [Theory]
    [MemberData(nameof(AllStores))]
    public async Task A_push_and_a_pull_succeed_with_credentials_from(CredentialStore store)
    {
        var environment = Stores.With(store, registry.Registry, registry.Username, registry.Password);

        await PushAndPullAsync(environment);

        Assert.True(Log.Contains($"using user '{registry.Username}' from"), "the log names the credential source");
        if (store is CredentialStore.CredentialHelper or CredentialStore.CredentialStoreHelper) Assert.Contains(registry.Registry, Stores.HelperCalls());
    }

    [Theory]
    [InlineData(CredentialStore.Environment, "environment variables DOTNET_CONTAINER_REGISTRY_UNAME/PWORD")]
    [InlineData(CredentialStore.DockerConfigAuths, "config.json (auths")]
    [InlineData(CredentialStore.CredentialHelper, "credential helper docker-credential-containers-test")]
    [InlineData(CredentialStore.PodmanAuthFile, "auth.json (auths")]
    public async Task Wrong_credentials_fail_with_CONTAINER1016_naming_their_source(CredentialStore store, string source)
    {
        var environment = Stores.With(store, registry.Registry, registry.Username, "wrong-password-1234");

        var error = await Assert.ThrowsAsync<ContainerException>(() => PushAsync(environment));

        Log.Error(error);
        Assert.Equal(ErrorCatalogue.RegistryAccessDenied.Code, error.Code);
        Assert.Contains($"'{registry.Registry}'", error.Message);
        Assert.Contains($"user '{registry.Username}' from", error.Message);
        Assert.Contains(source, error.Message);
        Assert.DoesNotContain("wrong-password-1234", error.Message);
    }

    [Fact]
    public async Task Missing_credentials_fail_with_CONTAINER1016_saying_where_they_were_looked_for()
    {
        var error = await Assert.ThrowsAsync<ContainerException>(() => PushAsync(Stores.Empty()));

        Log.Error(error);
        Assert.Equal(ErrorCatalogue.RegistryAccessDenied.Code, error.Code);
        Assert.Contains("no credentials were found", error.Message);
        Assert.Contains("DOTNET_CONTAINER_PUSH_REGISTRY_UNAME", error.Message);
        Assert.Contains("config.json", error.Message);
        Assert.Contains("docker login", error.Message);
    }

    [Fact]
    public async Task Push_and_pull_credentials_are_kept_apart()
    {
        var environment = Stores.Empty();
        environment["DOTNET_CONTAINER_PUSH_REGISTRY_UNAME"] = registry.Username;
        environment["DOTNET_CONTAINER_PUSH_REGISTRY_PWORD"] = registry.Password;
        var (target, image) = await PushAsync(environment);

        // A pull reads DOTNET_CONTAINER_PULL_REGISTRY_*, not the push pair.
        using (var pullOnly = new RegistryClientProvider(Options(environment)))
        {
            var error = await Assert.ThrowsAsync<ContainerException>(() => pullOnly.Get(registry.Registry).GetManifestAsync(target.Repository, "1.0"));
            Log.Error(error);
            Assert.Equal(ErrorCatalogue.RegistryAccessDenied.Code, error.Code);
        }

        environment["DOTNET_CONTAINER_PULL_REGISTRY_UNAME"] = registry.Username;
        environment["DOTNET_CONTAINER_PULL_REGISTRY_PWORD"] = registry.Password;
        await PullAsync(environment, target, image);
    }

    /// <summary>Pushes a two-layer image under tag 1.0, then reads it back (manifest, config and layers, each verified) with a new client.</summary>
    /// <param name="via">The registry name to use instead of the fixture's, e.g. a proxy in front of it.</param>
    protected async Task PushAndPullAsync(IReadOnlyDictionary<string, string> environment, string? via = null, RegistryClientOptions? options = null)
    {
        var (target, image) = await PushAsync(environment, via, options);
        await PullAsync(environment, target, image, options);
    }

    protected async Task<(ImageReference Target, IImage Image)> PushAsync(IReadOnlyDictionary<string, string> environment, string? via = null, RegistryClientOptions? options = null)
    {
        var images = new TestImages(_temp.Combine("layers"));
        var image = TestImages.Image([images.Layer(("app/a.txt", "a")), images.Layer(("app/b.txt", "b"))]);
        var target = new ImageReference(via ?? registry.Registry, RegistryFixture.UniqueRepository("auth"));
        using var clients = new RegistryClientProvider(options ?? Options(environment));
        try
        {
            var result = await new RegistryPush(clients, target, Log.Add).PushAsync(image, ["1.0"]);
            Assert.Equal(image.Digest, result.Digest);
            return (target, image);
        }
        catch (Exception e)
        {
            Log.Error(e);
            throw;
        }
    }

    protected async Task PullAsync(IReadOnlyDictionary<string, string> environment, ImageReference target, IImage image, RegistryClientOptions? options = null)
    {
        using var clients = new RegistryClientProvider(options ?? Options(environment));
        var client = clients.Get(target.Registry);
        var manifest = await client.GetManifestAsync(target.Repository, "1.0");
        Assert.Equal(image.RawManifest, manifest.Content);
        Assert.Equal(image.RawConfig, await client.GetBlobBytesAsync(target.Repository, image.Manifest.Config));
        foreach (var layer in image.Layers)
        {
            var file = _temp.Combine("pulled", layer.Descriptor.Digest.Replace(':', '-'));
            await client.DownloadBlobAsync(target.Repository, layer.Descriptor, file);
            Assert.Equal(File.ReadAllBytes(((FileLayer)layer).Path), File.ReadAllBytes(file));
        }
    }

    protected RegistryClientOptions Options(IReadOnlyDictionary<string, string> environment) => registry.ClientOptions(environment, Log);

    public void Dispose()
    {
        // Every test of every kind: nothing said anywhere may hold a password, a Basic header or a token.
        try
        {
            Log.AssertNoSecrets(registry.Secrets);
        }
        finally
        {
            _temp.Dispose();
        }
    }
}
