using System.Net;

namespace Containers.Testing.Registry;

/// <summary><c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>: HEAD, GET and DELETE of a blob in one repository.</summary>
internal sealed class BlobEndpoint(RegistryState state)
{
    private const string OctetStream = "application/octet-stream";

    public HttpResponseMessage Answer(RegistryCall call)
    {
        var digest = call.Route.Reference;
        if (!ContentDigest.IsValid(digest)) return Errors.DigestInvalid(digest);
        var repository = state.Find(call.Route.Repository);
        if (repository is null || !repository.Blobs.TryGetValue(digest, out var blob)) return Errors.BlobUnknown(digest);
        switch (call.Method)
        {
            case "HEAD":
                return DistributionAnswer.Head(blob.Length, OctetStream, ("Docker-Content-Digest", digest));
            case "GET":
                return DistributionAnswer.Bytes(HttpStatusCode.OK, blob, OctetStream, ("Docker-Content-Digest", digest));
            case "DELETE":
                repository.Blobs.Remove(digest);
                return DistributionAnswer.Status(HttpStatusCode.Accepted);
            default:
                return Errors.Unsupported(call);
        }
    }
}
