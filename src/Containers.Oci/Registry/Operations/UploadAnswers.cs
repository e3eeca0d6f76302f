using System.Globalization;
using System.Net;

namespace Containers.Oci.Registry.Operations;

/// <summary>
/// How a registry answers the steps of an upload session, read the same way by the upload (<see cref="BlobUpload"/>) and
/// the upload while writing (<see cref="BlobStreamUpload"/>): where the next step goes, the part size it asks for, and
/// which refusals mean "not in this shape" rather than "not at all".
/// </summary>
internal static class UploadAnswers
{
    /// <summary>ECR's (and S3's) minimum part: the size to try when a registry refuses parts as too small without saying how small.</summary>
    public const long KnownMinimumPart = 5L * 1024 * 1024;

    public const string MinChunkLengthHeader = "OCI-Chunk-Min-Length";

    /// <summary>The session's URL for the next step: the answer's Location, resolved against the request's.</summary>
    public static Uri? LocationOf(HttpResponseMessage response, Uri requestUri)
        => response.Headers.Location?.OriginalString is { Length: > 0 } location ? UploadLocation.Resolve(requestUri, location) : null;

    /// <summary>The smallest part the registry announced when it opened the session (<c>OCI-Chunk-Min-Length</c>); null when it did not.</summary>
    public static long? MinChunkLength(HttpResponseMessage response)
        => response.Headers.NonValidated.TryGetValues(MinChunkLengthHeader, out var values)
           && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var minimum) ? minimum : null;

    /// <summary>A PATCH the registry will not take at all: it wants every blob in one PUT.</summary>
    public static bool RefusesChunks(HttpStatusCode status, string answer)
        => status is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented || answer.Contains("UNSUPPORTED", StringComparison.Ordinal);

    /// <summary>
    /// A PATCH refused because the part before was too small. ECR: "LayerPartTooSmallException: All layer parts except the
    /// last part should be at least 5MB", seen on the part after.
    /// </summary>
    public static bool PartTooSmall(HttpStatusCode status, string answer)
        => status == HttpStatusCode.BadRequest && (answer.Contains("too small", StringComparison.OrdinalIgnoreCase) || answer.Contains("TooSmall", StringComparison.Ordinal));

    /// <summary>The part size to use after a refusal of <paramref name="part"/> bytes as too small.</summary>
    public static long LargerPart(long part) => Math.Max(2 * part, KnownMinimumPart);
}
