namespace Containers.Testing.Registry;

/// <summary>A manifest as the registry holds it: the exact bytes that were put, their media type and digest.</summary>
public sealed record HeldManifest(byte[] Content, string MediaType, string Digest);

// What the registry holds and has seen, for assertions; and seeding, for tests that start from a registry with content.
// Every member takes the registry's lock and returns a snapshot.
public sealed partial class InMemoryRegistry
{
    /// <summary>Every request so far, in the order they arrived (token requests included).</summary>
    public IReadOnlyList<ReceivedRequest> Requests
    {
        get { lock (_gate) return [.. _requests.OrderBy(r => r.Sequence)]; }
    }

    /// <summary>Forgets the recorded requests, e.g. after a first push, so a test sees only what comes next.</summary>
    public void ClearRequests()
    {
        lock (_gate) _requests.Clear();
    }

    /// <summary>Repositories holding a blob or a manifest, in ordinal order.</summary>
    public IReadOnlyList<string> Repositories
    {
        get { lock (_gate) return [.. _state.Repositories.Where(r => !r.Value.IsEmpty).Select(r => r.Key).Order(StringComparer.Ordinal)]; }
    }

    /// <summary>Tag to manifest digest; empty for an unknown repository.</summary>
    public IReadOnlyDictionary<string, string> Tags(string repository)
    {
        lock (_gate) return _state.Find(repository)?.Tags.ToDictionary(StringComparer.Ordinal) ?? [];
    }

    /// <summary>Digests of the repository's blobs (uploaded, mounted or seeded), in ordinal order.</summary>
    public IReadOnlyList<string> Blobs(string repository)
    {
        lock (_gate) return [.. (_state.Find(repository)?.Blobs.Keys ?? Enumerable.Empty<string>()).Order(StringComparer.Ordinal)];
    }

    /// <summary>A copy of a blob's bytes, or null when the repository does not have it.</summary>
    public byte[]? Blob(string repository, string digest)
    {
        lock (_gate) return _state.Find(repository)?.Blobs.GetValueOrDefault(digest)?.ToArray();
    }

    /// <summary>Digests of the repository's manifests, in the order they were first put.</summary>
    public IReadOnlyList<string> Manifests(string repository)
    {
        lock (_gate) return [.. _state.Find(repository)?.Manifests.Keys ?? Enumerable.Empty<string>()];
    }

    /// <summary>A manifest by tag or digest, or null.</summary>
    public HeldManifest? Manifest(string repository, string reference)
    {
        lock (_gate)
        {
            return _state.Find(repository)?.Find(reference) is { } m ? new HeldManifest(m.Content.ToArray(), m.MediaType, m.Digest) : null;
        }
    }

    /// <summary>Upload sessions opened (POSTs without a successful mount or a monolithic digest).</summary>
    public int UploadsStarted
    {
        get { lock (_gate) return _state.UploadsStarted; }
    }

    /// <summary>Blobs stored from uploads, monolithic or chunked; mounts and seeds not counted.</summary>
    public int BlobsUploaded
    {
        get { lock (_gate) return _state.BlobsUploaded; }
    }

    public int BlobsMounted
    {
        get { lock (_gate) return _state.BlobsMounted; }
    }

    /// <summary>Upload sessions neither completed nor cancelled: a client that leaks them shows here.</summary>
    public int OpenUploads
    {
        get { lock (_gate) return _state.Uploads.Count; }
    }

    /// <summary>Blob bytes received by upload requests (POST, PATCH, PUT), including any sent twice.</summary>
    public long BytesReceived
    {
        get { lock (_gate) return _state.BytesReceived; }
    }

    /// <summary>Puts a blob straight into a repository (no request, not counted); returns its sha256 digest.</summary>
    public string AddBlob(string repository, byte[] content)
    {
        var digest = ContentDigest.Sha256(content);
        lock (_gate) _state.Repository(repository).Blobs[digest] = content.ToArray();
        return digest;
    }

    /// <summary>
    /// Puts a manifest straight into a repository, under <paramref name="tag"/> when given; returns its digest. Unlike a
    /// PUT it does not check that the blobs are there, so a test can stage a registry the client must cope with.
    /// </summary>
    public string AddManifest(string repository, byte[] content, string mediaType, string? tag = null)
    {
        var document = ManifestDocument.TryParse(content, out var problem) ?? throw new ArgumentException($"Not a manifest: {problem}.", nameof(content));
        var digest = ContentDigest.Sha256(content);
        lock (_gate)
        {
            var target = _state.Repository(repository);
            target.Manifests[digest] = new StoredManifest(content.ToArray(), mediaType, digest, document);
            if (tag is not null) target.Tags[tag] = digest;
        }
        return digest;
    }
}
