using Containers.Oci.Model;
using Containers.Oci.Registry;

namespace Containers.Oci.Tests.Registry;

public sealed class UploadLocationTests
{
    private static readonly Uri Request = new("http://127.0.0.1:5000/v2/app/blobs/uploads/");
    private static readonly Digest Digest = Digest.Sha256("x"u8);

    [Fact]
    public void A_path_location_is_resolved_against_the_request()
        => Assert.Equal(new Uri("http://127.0.0.1:5000/v2/app/blobs/uploads/abc?_state=s"), UploadLocation.Resolve(Request, "/v2/app/blobs/uploads/abc?_state=s"));

    [Fact]
    public void A_relative_location_is_resolved_against_the_request()
        => Assert.Equal(new Uri("http://127.0.0.1:5000/v2/app/blobs/uploads/abc"), UploadLocation.Resolve(Request, "abc"));

    [Fact]
    public void An_absolute_location_on_another_host_is_kept()
        => Assert.Equal(new Uri("https://storage.example.com/upload/abc?sig=1"), UploadLocation.Resolve(Request, "https://storage.example.com/upload/abc?sig=1"));

    [Fact]
    public void The_digest_is_appended_to_an_existing_query()
    {
        var uri = UploadLocation.WithDigest(new Uri("http://r/v2/app/blobs/uploads/abc?_state=s%2Bt"), Digest);

        Assert.Equal($"?_state=s%2Bt&digest=sha256%3A{Digest.Encoded}", uri.Query);
        Assert.Equal("/v2/app/blobs/uploads/abc", uri.AbsolutePath);
    }

    [Fact]
    public void The_digest_starts_the_query_when_there_is_none()
        => Assert.Equal($"?digest=sha256%3A{Digest.Encoded}", UploadLocation.WithDigest(new Uri("http://r/v2/app/blobs/uploads/abc"), Digest).Query);
}
