using System.Net;

namespace Containers.Testing.Registry;

/// <summary>
/// <c>/v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>: GET and HEAD by tag or digest, PUT (exact bytes, every referenced
/// blob and manifest present), DELETE of a tag or of a manifest and its tags.
/// </summary>
internal sealed class ManifestEndpoint(RegistryState state, InMemoryRegistry registry)
{
    public HttpResponseMessage Answer(RegistryCall call)
    {
        var reference = call.Route.Reference;
        var isDigest = reference.Contains(':');
        if (isDigest ? !ContentDigest.IsValid(reference) : !DistributionRoute.IsTag(reference))
        {
            return isDigest ? Errors.DigestInvalid(reference, "invalid digest") : Errors.TagInvalid(reference);
        }
        return call.Method switch
        {
            "GET" or "HEAD" => Read(call, reference),
            "PUT" => Put(call, reference, isDigest),
            "DELETE" => Delete(call.Route.Repository, reference, isDigest),
            _ => Errors.Unsupported(call),
        };
    }

    private HttpResponseMessage Read(RegistryCall call, string reference)
    {
        var repository = state.Find(call.Route.Repository);
        if (repository is null || repository.IsEmpty) return Errors.NameUnknown(call.Route.Repository);
        if (repository.Find(reference) is not { } manifest) return Errors.ManifestUnknown(reference);
        var digestHeader = ("Docker-Content-Digest", manifest.Digest);
        return call.Method == "HEAD"
            ? DistributionAnswer.Head(manifest.Content.Length, manifest.MediaType, digestHeader)
            : DistributionAnswer.Bytes(HttpStatusCode.OK, manifest.Content, manifest.MediaType, digestHeader);
    }

    private HttpResponseMessage Put(RegistryCall call, string reference, bool isDigest)
    {
        var content = call.Body;
        if (ManifestDocument.TryParse(content, out var problem) is not { } document) return Errors.ManifestInvalid(problem);
        var mediaType = call.ContentType ?? document.MediaType;
        if (mediaType is null) return Errors.ManifestInvalid("no Content-Type and no mediaType in the document");
        if (document.MediaType is not null && document.MediaType != mediaType)
        {
            return Errors.ManifestInvalid($"Content-Type {mediaType} differs from the document's mediaType {document.MediaType}");
        }
        var digest = isDigest ? ContentDigest.Compute(reference[..reference.IndexOf(':')], content) : ContentDigest.Sha256(content);
        if (isDigest && digest != reference) return Errors.DigestInvalid(reference, $"the manifest's digest is {digest}");

        var repository = state.Repository(call.Route.Repository);
        var missing = Missing(repository, document).ToList();
        if (missing.Count > 0) return DistributionAnswer.Errors(HttpStatusCode.BadRequest, missing);

        repository.Manifests[digest] = new StoredManifest(content, mediaType, digest, document);
        if (!isDigest) repository.Tags[reference] = digest;
        (string, string)[] subject = registry.ReferrersApi && document.Subject is { } s ? [("OCI-Subject", s.Digest)] : [];
        return DistributionAnswer.Status(HttpStatusCode.Created,
            [("Location", $"/v2/{call.Route.Repository}/manifests/{digest}"), ("Docker-Content-Digest", digest), .. subject]);
    }

    /// <summary>Blobs the repository lacks, and an index's manifests it lacks; a subject may be missing (the spec allows it).</summary>
    private static IEnumerable<(string, string, object?)> Missing(RepositoryContent repository, ManifestDocument document)
    {
        foreach (var blob in document.RequiredBlobs.Where(b => !repository.Blobs.ContainsKey(b.Digest)))
        {
            yield return ("MANIFEST_BLOB_UNKNOWN", "blob unknown to registry", new { digest = blob.Digest });
        }
        foreach (var child in document.Manifests.Where(m => !repository.Manifests.ContainsKey(m.Digest)))
        {
            yield return ("MANIFEST_BLOB_UNKNOWN", "manifest unknown to registry", new { digest = child.Digest });
        }
    }

    private HttpResponseMessage Delete(string name, string reference, bool isDigest)
    {
        var repository = state.Find(name);
        if (repository is null) return Errors.NameUnknown(name);
        if (!isDigest) return repository.Tags.Remove(reference) ? DistributionAnswer.Status(HttpStatusCode.Accepted) : Errors.ManifestUnknown(reference);
        if (!repository.Manifests.Remove(reference)) return Errors.ManifestUnknown(reference);
        foreach (var tag in repository.Tags.Where(t => t.Value == reference).Select(t => t.Key).ToList()) repository.Tags.Remove(tag);
        return DistributionAnswer.Status(HttpStatusCode.Accepted);
    }
}
