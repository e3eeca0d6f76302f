using System.Net;
using Containers.Oci.Errors;
using Containers.Oci.Registry;
using Containers.Testing.Registry;
using static Containers.Oci.Tests.Registry.InMemory.TestContent;

namespace Containers.Oci.Tests.Registry.InMemory;

/// <summary>The real client's authentication against the in-memory registry's Basic and bearer switches.</summary>
public sealed class AuthenticationTests
{
    private readonly InMemoryRegistry _registry = new();

    private RegistryClient Client(bool withCredentials = true)
        => new(Host, _registry.ClientOptions(new RegistryClientOptions
        {
            MaxRetries = 0,
            Environment = withCredentials
                ? new Dictionary<string, string> { ["DOTNET_CONTAINER_REGISTRY_UNAME"] = "alice", ["DOTNET_CONTAINER_REGISTRY_PWORD"] = "secret" }
                : [],
        }));

    [Fact]
    public async Task With_Basic_required_the_client_answers_the_challenge_and_then_sends_credentials_up_front()
    {
        _registry.RequireBasicAuth = new NetworkCredential("alice", "secret");
        var blob = Bytes(20);
        using var client = Client();

        await client.UploadBlobAsync("app", Describe(blob), () => Open(blob));

        Assert.Equal([401, 202, 201], _registry.Requests.Select(r => r.Status));
        Assert.Equal([null, "Basic", "Basic"], _registry.Requests.Select(r => r.Header("Authorization")));
        Assert.Equal(blob, _registry.Blob("app", Describe(blob).Digest));
    }

    [Fact]
    public async Task With_a_bearer_token_required_the_client_fetches_one_for_the_repository_and_uses_it()
    {
        _registry.RequireBearerAuth = new NetworkCredential("alice", "secret");
        var blob = Bytes(20);
        using var client = Client();

        await client.UploadBlobAsync("team/app", Describe(blob), () => Open(blob));

        Assert.Equal(["POST /v2/team/app/blobs/uploads/ 401", "GET /token 200", "POST /v2/team/app/blobs/uploads/ 202", "PUT /v2/team/app/blobs/uploads/upload-1 201"],
            _registry.Requests.Select(r => $"{r} {r.Status}"));
        Assert.Contains("scope=repository%3Ateam%2Fapp%3Apull%2Cpush", _registry.Requests[1].Query, StringComparison.Ordinal);
        Assert.Equal("Bearer", _registry.Requests[2].Header("Authorization"));
    }

    [Fact]
    public async Task Without_credentials_a_registry_that_wants_them_is_access_denied()
    {
        _registry.RequireBasicAuth = new NetworkCredential("alice", "secret");
        using var client = Client(withCredentials: false);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.BlobExistsAsync("app", Containers.Oci.Model.Digest.Sha256(Bytes(1))));

        Assert.Equal(ErrorCatalogue.RegistryAccessDenied.Code, error.Code);
    }
}
