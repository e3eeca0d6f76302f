using System.Net;
using System.Text;
using Containers.Oci.Errors;
using Containers.Oci.Model;
using Containers.Oci.Registry;
using Containers.Oci.Registry.Credentials;

namespace Containers.Oci.Tests.Registry;

/// <summary>What the auth handler sends: Basic, bearer tokens (GET, refresh and password grants), caching, and guards.</summary>
public sealed class AuthenticationProtocolTests
{
    private const string Registry = "registry.example.com";
    private const string Realm = "https://auth.example.com/token";
    private const string BearerChallenge = $"Bearer realm=\"{Realm}\",service=\"registry.example.com\",scope=\"repository:app:pull\"";
    private static readonly (string, string)[] Alice = [("DOTNET_CONTAINER_REGISTRY_UNAME", "alice"), ("DOTNET_CONTAINER_REGISTRY_PWORD", "s3cret")];

    private static HttpResponseMessage Token(string token, int expiresIn = 300)
        => FakeRegistryHandler.Answer(HttpStatusCode.OK, $$"""{"token":"{{token}}","expires_in":{{expiresIn}}}""", "application/json");

    /// <summary>A registry that takes bearer <paramref name="valid"/> tokens, and a token service that hands them out in turn.</summary>
    private static FakeRegistryHandler BearerRegistry(Func<RecordedRequest, HttpResponseMessage> tokenService, params string[] valid)
        => new(request => request.Uri.Host == "auth.example.com" ? tokenService(request)
            : valid.Any(t => request.Authorization() == $"Bearer {t}") ? FakeRegistryHandler.ManifestAnswer() : FakeRegistryHandler.Challenge(BearerChallenge));

    [Fact]
    public async Task Basic_credentials_are_sent_after_the_first_challenge_and_then_up_front()
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cret"));
        var handler = new FakeRegistryHandler(request => request.Authorization() == expected ? FakeRegistryHandler.ManifestAnswer() : FakeRegistryHandler.Challenge("Basic realm=\"registry\""));
        using var client = new RegistryClient(Registry, FakeRegistryHandler.Options(Alice), handler);

        await client.GetManifestAsync("app", "1");
        await client.GetManifestAsync("app", "2");

        Assert.Equal([null, expected, expected], handler.Requests.Select(r => r.Authorization()));
    }

    [Fact]
    public async Task A_token_is_fetched_with_Basic_credentials_for_the_scope_and_cached()
    {
        var handler = BearerRegistry(_ => Token("t1"), "t1");
        using var client = new RegistryClient(Registry, FakeRegistryHandler.Options(Alice), handler);

        await client.GetManifestAsync("app", "1");
        await client.GetManifestAsync("app", "2");

        var tokenRequests = handler.Requests.Where(r => r.Uri.Host == "auth.example.com").ToList();
        var fetch = Assert.Single(tokenRequests);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cret")), fetch.Authorization());
        Assert.Equal("?service=registry.example.com&scope=repository%3Aapp%3Apull&account=alice", fetch.Uri.Query);
        Assert.Equal("Bearer t1", handler.Requests[^1].Authorization());   // the second manifest read: token sent up front
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task A_push_asks_one_token_for_pull_and_push_and_a_mount_adds_pull_on_its_source()
    {
        var handler = new FakeRegistryHandler(request => request.Uri.Host == "auth.example.com" ? Token("t") :
            request.Authorization() == "Bearer t" ? FakeRegistryHandler.Answer(HttpStatusCode.Created) : FakeRegistryHandler.Challenge($"Bearer realm=\"{Realm}\",service=\"svc\""));
        using var client = new RegistryClient(Registry, FakeRegistryHandler.Options(Alice), handler);

        await client.TryMountBlobAsync("team/app", Digest.Sha256("x"u8), "dotnet/runtime");

        var fetch = Assert.Single(handler.Requests, r => r.Uri.Host == "auth.example.com");
        Assert.Contains("scope=repository%3Adotnet%2Fruntime%3Apull&scope=repository%3Ateam%2Fapp%3Apull%2Cpush", fetch.Uri.Query);
    }

    [Fact]
    public async Task An_expired_token_is_fetched_again()
    {
        var time = new ManualTime();
        var issued = 0;
        var handler = BearerRegistry(_ => Token($"t{++issued}", expiresIn: 60), "t1", "t2");
        using var client = new RegistryClient(Registry, FakeRegistryHandler.Options(Alice), handler, time);

        await client.GetManifestAsync("app", "1");
        time.Advance(TimeSpan.FromSeconds(50));
        await client.GetManifestAsync("app", "1");
        time.Advance(TimeSpan.FromSeconds(10));   // 60 s: past its lifetime less the early-renewal margin
        await client.GetManifestAsync("app", "1");

        Assert.Equal(2, issued);
        Assert.Equal("Bearer t2", handler.Requests[^1].Authorization());
    }

    [Fact]
    public async Task A_cached_token_the_registry_refuses_is_refreshed_once()
    {
        var issued = 0;
        var accepted = "t1";
        var handler = new FakeRegistryHandler(request => request.Uri.Host == "auth.example.com" ? Token($"t{++issued}")
            : request.Authorization() == $"Bearer {accepted}" ? FakeRegistryHandler.ManifestAnswer() : FakeRegistryHandler.Challenge(BearerChallenge));
        using var client = new RegistryClient(Registry, FakeRegistryHandler.Options(Alice), handler);
        await client.GetManifestAsync("app", "1");

        accepted = "t2";   // the registry revoked t1 while it was cached
        await client.GetManifestAsync("app", "1");

        Assert.Equal(2, issued);
        Assert.Equal(["Bearer t1", "Bearer t2"], handler.Requests.Where(r => r.Uri.Host != "auth.example.com").Skip(2).Select(r => r.Authorization()));
    }

    [Fact]
    public async Task An_identity_token_is_exchanged_with_the_refresh_token_grant()
    {
        var credentials = new FixedCredentials(RegistryCredential.FromIdentityToken("refresh-xyz", "a test"));
        var handler = BearerRegistry(request => request.Method == HttpMethod.Post ? Token("t1") : FakeRegistryHandler.Answer(HttpStatusCode.MethodNotAllowed), "t1");
        using var client = new RegistryClient(Registry, FakeRegistryHandler.Options() with { Credentials = credentials }, handler);

        await client.GetManifestAsync("app", "1");

        var post = Assert.Single(handler.Requests, r => r.Uri.Host == "auth.example.com");
        Assert.Equal(HttpMethod.Post, post.Method);
        Assert.Null(post.Authorization());
        var form = post.BodyText();
        Assert.Contains("grant_type=refresh_token", form);
        Assert.Contains("refresh_token=refresh-xyz", form);
        Assert.Contains("service=registry.example.com", form);
        Assert.Contains("scope=repository%3Aapp%3Apull", form);
        Assert.Contains("client_id=containers-build", form);
    }

    [Fact]
    public async Task A_token_service_that_takes_no_GET_gets_the_password_grant()
    {
        var handler = BearerRegistry(request => request.Method == HttpMethod.Post ? Token("t1") : FakeRegistryHandler.Answer(HttpStatusCode.MethodNotAllowed), "t1");
        using var client = new RegistryClient(Registry, FakeRegistryHandler.Options(Alice), handler);

        await client.GetManifestAsync("app", "1");

        var post = Assert.Single(handler.Requests, r => r.Uri.Host == "auth.example.com" && r.Method == HttpMethod.Post);
        Assert.Contains("grant_type=password", post.BodyText());
        Assert.Contains("username=alice", post.BodyText());
    }

    [Fact]
    public async Task Without_credentials_the_token_is_anonymous_and_a_refusal_says_where_credentials_were_looked_for()
    {
        var handler = BearerRegistry(_ => Token("anonymous"));
        using var client = new RegistryClient(Registry, FakeRegistryHandler.Options(), handler);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync("app", "1"));

        Assert.Null(Assert.Single(handler.Requests, r => r.Uri.Host == "auth.example.com").Authorization());
        Assert.Equal(ErrorCatalogue.RegistryAccessDenied.Code, error.Code);
        Assert.Contains("no credentials were found for it (looked in environment variables", error.Message);
    }

    [Fact]
    public async Task A_refusal_after_sending_credentials_names_their_source_but_not_the_secret()
    {
        var handler = new FakeRegistryHandler(_ => FakeRegistryHandler.Challenge("Basic realm=\"r\""));
        using var client = new RegistryClient(Registry, FakeRegistryHandler.Options(Alice), handler);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync("app", "1"));

        Assert.Equal(ErrorCatalogue.RegistryAccessDenied.Code, error.Code);
        Assert.Contains("user 'alice' from environment variables DOTNET_CONTAINER_REGISTRY_UNAME/PWORD", error.Message);
        Assert.Contains("UNAUTHORIZED: authentication required", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
        Assert.Equal(2, handler.Requests.Count);   // once without, once with: no loop
    }

    [Fact]
    public async Task Credentials_are_not_sent_over_plain_HTTP_to_another_machine_unless_allowed()
    {
        // An insecure registry without TLS: HTTPS fails, so the client falls back to HTTP, where Basic would travel in clear.
        FakeRegistryHandler Handler() => new(request => request.Uri.Scheme == "https"
            ? throw new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established")
            : request.Authorization() is null ? FakeRegistryHandler.Challenge("Basic realm=\"r\"") : FakeRegistryHandler.ManifestAnswer());
        var options = FakeRegistryHandler.Options([.. Alice, (RegistryEnvironment.InsecureRegistries, Registry)]);

        using (var guarded = new RegistryClient(Registry, options, Handler()))
        {
            var error = await Assert.ThrowsAsync<ContainerException>(() => guarded.GetManifestAsync("app", "1"));
            Assert.Equal(ErrorCatalogue.CredentialsOverPlainHttp.Code, error.Code);
            Assert.Contains("CONTAINERS_REGISTRY_ALLOW_HTTP_CREDENTIALS", error.Message);
        }
        var handler = Handler();
        using (var allowed = new RegistryClient(Registry, options with { AllowCredentialsOverHttp = true }, handler))
        {
            await allowed.GetManifestAsync("app", "1");
        }
        Assert.Equal(["https", "http", "http"], handler.Requests.Select(r => r.Uri.Scheme));
    }

    [Fact]
    public async Task A_redirect_to_another_host_drops_the_Authorization_header_and_one_to_the_same_host_keeps_it()
    {
        var blob = "layer bytes"u8.ToArray();
        var descriptor = new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256(blob).ToString(), Size = blob.Length };
        var handler = new FakeRegistryHandler(request => request.Uri.Host switch
        {
            "storage.example.com" => FakeRegistryHandler.Bytes(blob),
            _ when request.Authorization() is null => FakeRegistryHandler.Challenge("Basic realm=\"r\""),
            _ when request.Uri.AbsolutePath.StartsWith("/v2/app/blobs/", StringComparison.Ordinal)
                => FakeRegistryHandler.Answer(HttpStatusCode.TemporaryRedirect, headers: ("Location", "/moved/blob")),
            _ => FakeRegistryHandler.Answer(HttpStatusCode.Found, headers: ("Location", "https://storage.example.com/blob?signature=abc")),
        });
        using var client = new RegistryClient(Registry, FakeRegistryHandler.Options(Alice), handler);

        Assert.Equal(blob, await client.GetBlobBytesAsync("app", descriptor));

        Assert.Equal(["/v2/app/blobs/" + descriptor.Digest, "/v2/app/blobs/" + descriptor.Digest, "/moved/blob", "/blob"], handler.Requests.Select(r => r.Uri.AbsolutePath));
        Assert.NotNull(handler.Requests[2].Authorization());   // same host: kept
        Assert.Null(handler.Requests[3].Authorization());      // storage host: dropped
    }

    private sealed class FixedCredentials(RegistryCredential credential) : ICredentialSource
    {
        public string Description => "a test source";

        public Task<RegistryCredential?> FindAsync(string registry, RegistryAccess access, CancellationToken cancellationToken)
            => Task.FromResult<RegistryCredential?>(credential);
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTime : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
