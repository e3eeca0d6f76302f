using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Containers.Testing.Registry;

/// <summary>
/// <c>/v2/&lt;name&gt;/blobs/uploads/[&lt;id&gt;]</c>: opening a session (or a monolithic POST, or a cross-repository mount),
/// chunks by PATCH, the closing PUT with its digest, the session's status, and its cancellation.
/// </summary>
internal sealed partial class UploadEndpoint(RegistryState state, InMemoryRegistry registry)
{
    public HttpResponseMessage Start(RegistryCall call)
    {
        if (call.Method != "POST") return Errors.Unsupported(call);
        var name = call.Route.Repository;
        if (call.QueryValue("mount") is { } mount)
        {
            if (!ContentDigest.IsValid(mount)) return Errors.DigestInvalid(mount, "invalid digest");
            if (TryMount(name, mount, call.QueryValue("from"))) return Created(name, mount);
            // Declined: the spec's fallback is an ordinary session (202), and the client uploads after all.
        }
        else if (call.QueryValue("digest") is { } digest)
        {
            state.BytesReceived += call.Body.Length;
            return Complete(name, digest, call.Body);
        }
        var session = state.StartUpload(name);
        return SessionAnswer(HttpStatusCode.Accepted, session, registry.MinimumChunkSize > 0
            ? [("OCI-Chunk-Min-Length", registry.MinimumChunkSize.ToString(CultureInfo.InvariantCulture))] : []);
    }

    public HttpResponseMessage Continue(RegistryCall call)
    {
        if (!state.Uploads.TryGetValue(call.Route.Reference, out var session) || session.Repository != call.Route.Repository)
        {
            return Errors.UploadUnknown(call.Route.Reference);
        }
        switch (call.Method)
        {
            case "GET":
                return SessionAnswer(HttpStatusCode.NoContent, session);
            case "DELETE":
                state.Uploads.Remove(session.Id);
                return DistributionAnswer.Status(HttpStatusCode.NoContent);
            case "PATCH":
                if (registry.RefuseChunkedUploads) return Errors.Unsupported(call);
                return Refusal(call, session) ?? Append(call, session);
            case "PUT":
                if (Refusal(call, session) is { } refused) return refused;
                state.Uploads.Remove(session.Id);
                session.Data.Write(call.Body);
                state.BytesReceived += call.Body.Length;
                return Complete(session.Repository, call.QueryValue("digest"), session.Data.ToArray());
            default:
                return Errors.Unsupported(call);
        }
    }

    private HttpResponseMessage Append(RegistryCall call, UploadSession session)
    {
        if (call.Body.Length < registry.MinimumChunkSize) session.HadShortChunk = true;
        session.Data.Write(call.Body);
        state.BytesReceived += call.Body.Length;
        return SessionAnswer(HttpStatusCode.Accepted, session);
    }

    /// <summary>Why a chunk cannot be taken: an old session URL, a range that does not start where the data ends, or a chunk after a short one.</summary>
    private HttpResponseMessage? Refusal(RegistryCall call, UploadSession session)
    {
        var offset = session.Data.Length;
        if (call.QueryValue("_state") is { } stateToken && stateToken != offset.ToString(CultureInfo.InvariantCulture))
        {
            return Errors.UploadInvalid(HttpStatusCode.BadRequest, $"stale upload location: the session has {offset} bytes, the URL says {stateToken}", session);
        }
        if (call.ContentRange is { } range)
        {
            var match = RangePattern().Match(range);
            if (!match.Success) return Errors.UploadInvalid(HttpStatusCode.RequestedRangeNotSatisfiable, $"malformed Content-Range '{range}'", session);
            var first = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var last = long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            if (first != offset) return Errors.UploadInvalid(HttpStatusCode.RequestedRangeNotSatisfiable, $"chunk starts at {first}, the session has {offset} bytes", session);
            if (last - first + 1 != call.Body.Length) return Errors.UploadInvalid(HttpStatusCode.RequestedRangeNotSatisfiable, $"Content-Range '{range}' does not match the {call.Body.Length} bytes sent", session);
        }
        if (session.HadShortChunk && call.Body.Length > 0)
        {
            return Errors.UploadInvalid(HttpStatusCode.RequestedRangeNotSatisfiable, $"only the last chunk may be smaller than {registry.MinimumChunkSize} bytes", session);
        }
        return null;
    }

    private bool TryMount(string repository, string digest, string? from)
    {
        if (registry.RefuseMounts || from is null) return false;
        if (state.Find(from) is not { } source || !source.Blobs.TryGetValue(digest, out var blob)) return false;
        state.Repository(repository).Blobs[digest] = blob;
        state.BlobsMounted++;
        return true;
    }

    private HttpResponseMessage Complete(string repository, string? digest, byte[] content)
    {
        if (!ContentDigest.IsValid(digest)) return Errors.DigestInvalid(digest, "a valid digest query parameter is required");
        if (!ContentDigest.Matches(digest!, content)) return Errors.DigestInvalid(digest);
        state.Repository(repository).Blobs[digest!] = content;
        state.BlobsUploaded++;
        return Created(repository, digest!);
    }

    private static HttpResponseMessage Created(string repository, string digest)
        => DistributionAnswer.Status(HttpStatusCode.Created, ("Location", $"/v2/{repository}/blobs/{digest}"), ("Docker-Content-Digest", digest));

    private static HttpResponseMessage SessionAnswer(HttpStatusCode status, UploadSession session, params (string Name, string Value)[] extra)
        => DistributionAnswer.Status(status,
            [("Location", session.Location), ("Range", DistributionAnswer.Range(session.Data.Length)), ("Docker-Upload-UUID", session.Id), .. extra]);

    // The spec's form: "start-end", inclusive, no unit and no total.
    [GeneratedRegex("^([0-9]+)-([0-9]+)\\z")]
    private static partial Regex RangePattern();
}
