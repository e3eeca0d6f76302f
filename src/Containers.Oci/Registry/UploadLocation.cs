using Containers.Oci.Model;

namespace Containers.Oci.Registry;

/// <summary>
/// The URL of a blob upload session. Registries answer with a <c>Location</c> that may be absolute (often another host,
/// e.g. a storage front end) or relative to the request, and may already carry a query (session state) we must keep.
/// </summary>
internal static class UploadLocation
{
    /// <summary>Resolves a Location header against the URL of the request that returned it.</summary>
    public static Uri Resolve(Uri requestUri, string location)
    {
        // "/v2/..." is absolute on Unix per Uri.TryCreate(UriKind.Absolute) (a file path), so treat leading '/' as relative.
        if (!location.StartsWith('/') && Uri.TryCreate(location, UriKind.Absolute, out var absolute)) return absolute;
        return new Uri(requestUri, location);
    }

    /// <summary>The session URL with <c>digest=</c> appended, keeping any query it already has.</summary>
    public static Uri WithDigest(Uri location, Digest digest) => WithQuery(location, "digest", digest.ToString());

    public static Uri WithQuery(Uri location, string name, string value)
    {
        var builder = new UriBuilder(location);
        var pair = Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value);
        var existing = builder.Query.TrimStart('?');
        builder.Query = existing.Length == 0 ? pair : existing + "&" + pair;
        return builder.Uri;
    }
}
