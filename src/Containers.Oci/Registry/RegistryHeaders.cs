using Containers.Oci.Model;

namespace Containers.Oci.Registry;

/// <summary>The distribution API's own response headers, read one way everywhere.</summary>
internal static class RegistryHeaders
{
    public const string ContentDigestHeader = "Docker-Content-Digest";

    /// <summary>The digest a registry says the content has; null when it sends none, or one that is not a digest.</summary>
    public static Digest? ContentDigest(HttpResponseMessage response)
        => response.Headers.TryGetValues(ContentDigestHeader, out var values) && Digest.TryParse(values.FirstOrDefault(), out var digest) ? digest : null;
}
