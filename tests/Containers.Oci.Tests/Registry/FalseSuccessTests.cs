using System.Net;
using System.Text;
using Containers.Oci.Errors;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Registry;
using Containers.Oci.Stores;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Registry;

/// <summary>A registry's "yes" is believed only when it says what the spec says it must: a push is never reported when nothing was stored.</summary>
public sealed class FalseSuccessTests : IDisposable
{
    private const string Registry = "registry.example.com";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static RegistryClientProvider Clients(FakeRegistryHandler handler)
        => new(FakeRegistryHandler.Options() with { HttpHandlerFactory = _ => handler });

    [Fact]
    public async Task A_web_server_answering_200_to_everything_fails_the_push_before_any_manifest_is_put()
    {
        var portal = new FakeRegistryHandler(_ => FakeRegistryHandler.Answer(HttpStatusCode.OK, "<html>Welcome to the network</html>", "text/html"));
        using var clients = Clients(portal);
        var image = new SampleImages(_temp.Path).Image();

        var error = await Assert.ThrowsAsync<ContainerException>(() => new RegistryPush(clients, ImageReference.Parse($"{Registry}/app")).PushAsync(image, ["1.0"]));

        Assert.Equal(ErrorCatalogue.BlobUploadFailed.Code, error.Code);
        Assert.DoesNotContain(portal.Requests, r => r.Method == HttpMethod.Put && r.Uri.AbsolutePath.Contains("/manifests/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("11", null, false)]                       // the length of something else
    [InlineData("42", "sha256:ab" + "00000000000000000000000000000000000000000000000000000000000000", false)] // another digest
    [InlineData("42", null, true)]
    public async Task A_blob_HEAD_is_believed_only_when_its_length_and_digest_agree(string length, string? digest, bool believed)
    {
        var descriptor = new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256(Encoding.UTF8.GetBytes("blob")).ToString(), Size = 42 };
        var handler = new FakeRegistryHandler(_ =>
        {
            var answer = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
            answer.Content.Headers.TryAddWithoutValidation("Content-Length", length);
            if (digest is not null) answer.Headers.TryAddWithoutValidation("Docker-Content-Digest", digest);
            return answer;
        });
        using var clients = Clients(handler);

        Assert.Equal(believed, await clients.Get(Registry).BlobExistsAsync("app", descriptor));
    }

    [Fact]
    public async Task A_blob_HEAD_without_a_digest_header_confirms_nothing_when_the_size_is_unknown()
    {
        var handler = new FakeRegistryHandler(_ => FakeRegistryHandler.Answer(HttpStatusCode.OK));
        using var clients = Clients(handler);

        Assert.False(await clients.Get(Registry).BlobExistsAsync("app", Digest.Sha256([1])));
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, null, false)]
    [InlineData(HttpStatusCode.NoContent, null, false)]
    [InlineData(HttpStatusCode.Created, "other", false)]
    [InlineData(HttpStatusCode.Created, null, true)]
    [InlineData(HttpStatusCode.OK, "same", true)]
    public async Task A_manifest_PUT_is_believed_only_as_201_or_with_its_own_digest(HttpStatusCode status, string? digestHeader, bool believed)
    {
        var manifest = Encoding.UTF8.GetBytes(FakeRegistryHandler.Manifest);
        var digest = Digest.Sha256(manifest);
        var header = digestHeader switch { "same" => digest.ToString(), "other" => Digest.Sha256([9]).ToString(), _ => null };
        var handler = new FakeRegistryHandler(_ => header is null
            ? FakeRegistryHandler.Answer(status)
            : FakeRegistryHandler.Answer(status, "", null, ("Docker-Content-Digest", header)));
        using var clients = Clients(handler);

        var put = () => clients.Get(Registry).PutManifestAsync("app", "1.0", manifest, MediaTypes.OciManifest);

        if (believed)
        {
            Assert.Equal(digest, await put());
        }
        else
        {
            var error = await Assert.ThrowsAsync<ContainerException>(put);
            Assert.Equal(ErrorCatalogue.RegistryPushFailed.Code, error.Code);
            Assert.Contains($"{Registry}/app:1.0", error.Message);
        }
    }
}
