using System.Net;

namespace Containers.Testing.Registry;

/// <summary>The spec's error codes, each with the status and detail a registry gives it.</summary>
internal static class Errors
{
    public static HttpResponseMessage BlobUnknown(string digest)
        => DistributionAnswer.Error(HttpStatusCode.NotFound, "BLOB_UNKNOWN", "blob unknown to registry", new { digest });

    public static HttpResponseMessage DigestInvalid(string? digest, string message = "provided digest did not match uploaded content")
        => DistributionAnswer.Error(HttpStatusCode.BadRequest, "DIGEST_INVALID", message, new { digest });

    public static HttpResponseMessage UploadUnknown(string id)
        => DistributionAnswer.Error(HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", new { id });

    public static HttpResponseMessage UploadInvalid(HttpStatusCode status, string message, UploadSession session)
        => DistributionAnswer.Error(status, "BLOB_UPLOAD_INVALID", message, null,
            ("Location", session.Location), ("Range", DistributionAnswer.Range(session.Data.Length)), ("Docker-Upload-UUID", session.Id));

    public static HttpResponseMessage ManifestUnknown(string reference)
        => DistributionAnswer.Error(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN", "manifest unknown", new { reference });

    public static HttpResponseMessage ManifestInvalid(string message)
        => DistributionAnswer.Error(HttpStatusCode.BadRequest, "MANIFEST_INVALID", "manifest invalid: " + message);

    public static HttpResponseMessage NameUnknown(string name)
        => DistributionAnswer.Error(HttpStatusCode.NotFound, "NAME_UNKNOWN", "repository name not known to registry", new { name });

    public static HttpResponseMessage NameInvalid(string path)
        => DistributionAnswer.Error(HttpStatusCode.BadRequest, "NAME_INVALID", "invalid repository name", new { path });

    public static HttpResponseMessage TagInvalid(string tag)
        => DistributionAnswer.Error(HttpStatusCode.BadRequest, "TAG_INVALID", "manifest tag did not match URI", new { tag });

    public static HttpResponseMessage Unsupported(RegistryCall call)
        => DistributionAnswer.Error(HttpStatusCode.MethodNotAllowed, "UNSUPPORTED", $"the operation is unsupported: {call.Method} {call.Path}");
}
