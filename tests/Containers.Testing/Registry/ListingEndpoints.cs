using System.Net;

namespace Containers.Testing.Registry;

/// <summary>The read-only listings: <c>tags/list</c> (with <c>n</c> and <c>last</c>) and the OCI 1.1 referrers API.</summary>
internal sealed class ListingEndpoints(RegistryState state, InMemoryRegistry registry)
{
    private const string OciIndex = "application/vnd.oci.image.index.v1+json";

    public HttpResponseMessage Tags(RegistryCall call)
    {
        if (call.Method != "GET") return Errors.Unsupported(call);
        var name = call.Route.Repository;
        if (state.Find(name) is not { IsEmpty: false } repository) return Errors.NameUnknown(name);
        IEnumerable<string> tags = repository.Tags.Keys.Order(StringComparer.Ordinal);
        if (call.QueryValue("last") is { } last) tags = tags.Where(t => string.CompareOrdinal(t, last) > 0);
        var all = tags.ToList();
        // A page size the client asked for, else the registry's own (some cut every list, asked or not).
        var n = int.TryParse(call.QueryValue("n"), out var asked) && asked >= 0 ? asked : registry.TagPageSize ?? -1;
        var page = n >= 0 ? all.Take(n).ToList() : all;
        (string, string)[] link = page.Count < all.Count && page.Count > 0
            ? [("Link", $"</v2/{name}/tags/list?n={n}&last={Uri.EscapeDataString(page[^1])}>; rel=\"next\"")] : [];
        return DistributionAnswer.Object(HttpStatusCode.OK, new { name, tags = page }, "application/json", link);
    }

    /// <summary>
    /// An image index of the manifests whose <c>subject</c> is the digest, each with its artifact type (the manifest's
    /// own, else its config's media type) and annotations. Without <see cref="InMemoryRegistry.ReferrersApi"/>, the 404
    /// of a registry that predates it, so clients fall back to the tag schema.
    /// </summary>
    public HttpResponseMessage Referrers(RegistryCall call)
    {
        if (!registry.ReferrersApi) return DistributionAnswer.PageNotFound();
        if (call.Method != "GET") return Errors.Unsupported(call);
        var digest = call.Route.Reference;
        if (!ContentDigest.IsValid(digest)) return Errors.DigestInvalid(digest, "invalid digest");
        var filter = call.QueryValue("artifactType");
        var referrers = (state.Find(call.Route.Repository)?.Manifests.Values ?? Enumerable.Empty<StoredManifest>())
            .Where(m => m.Document.Subject?.Digest == digest)
            .Select(Descriptor)
            .Where(d => filter is null || Equals(d.GetValueOrDefault("artifactType"), filter))
            .ToList();
        (string, string)[] applied = filter is null ? [] : [("OCI-Filters-Applied", "artifactType")];
        return DistributionAnswer.Object(HttpStatusCode.OK, new { schemaVersion = 2, mediaType = OciIndex, manifests = referrers }, OciIndex, applied);
    }

    // A dictionary, so absent fields are left out rather than written as null.
    private static Dictionary<string, object> Descriptor(StoredManifest manifest)
    {
        var descriptor = new Dictionary<string, object>
        {
            ["mediaType"] = manifest.MediaType,
            ["digest"] = manifest.Digest,
            ["size"] = manifest.Content.Length,
        };
        if ((manifest.Document.ArtifactType ?? manifest.Document.Config?.MediaType) is { } artifactType) descriptor["artifactType"] = artifactType;
        if (manifest.Document.Annotations is { Count: > 0 } annotations) descriptor["annotations"] = annotations;
        return descriptor;
    }
}
