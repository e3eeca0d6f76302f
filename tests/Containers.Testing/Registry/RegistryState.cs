namespace Containers.Testing.Registry;

/// <summary>A manifest as stored: the exact bytes put, the media type they were put with, and what they reference.</summary>
internal sealed record StoredManifest(byte[] Content, string MediaType, string Digest, ManifestDocument Document);

/// <summary>One repository: its blobs (shared arrays when mounted), manifests in the order they were put, and tags.</summary>
internal sealed class RepositoryContent
{
    public Dictionary<string, byte[]> Blobs { get; } = new(StringComparer.Ordinal);

    public OrderedDictionary<string, StoredManifest> Manifests { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

    public bool IsEmpty => Blobs.Count == 0 && Manifests.Count == 0;

    /// <summary>A manifest by tag or digest.</summary>
    public StoredManifest? Find(string reference)
        => Manifests.TryGetValue(Tags.TryGetValue(reference, out var digest) ? digest : reference, out var manifest) ? manifest : null;
}

/// <summary>An open blob upload: what it has received so far, in one repository.</summary>
internal sealed class UploadSession(string id, string repository)
{
    public string Id { get; } = id;

    public string Repository { get; } = repository;

    public MemoryStream Data { get; } = new();

    /// <summary>A chunk below the registry's minimum was taken: only the closing PUT may follow, as the last chunk may be short.</summary>
    public bool HadShortChunk { get; set; }

    /// <summary>The session URL after each step; <c>_state</c> is the offset, so a client that reuses an old URL is caught.</summary>
    public string Location => $"/v2/{Repository}/blobs/uploads/{Id}?_state={Data.Length}";
}

/// <summary>
/// Everything the registry holds. Not thread-safe on its own: <see cref="InMemoryRegistry"/> serves one request at a
/// time against it under one lock (bodies are read before, outside the lock, so parallel uploads still overlap).
/// </summary>
internal sealed class RegistryState
{
    private int _nextUpload;

    public Dictionary<string, RepositoryContent> Repositories { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, UploadSession> Uploads { get; } = new(StringComparer.Ordinal);

    public int UploadsStarted { get; set; }

    public int BlobsUploaded { get; set; }

    public int BlobsMounted { get; set; }

    public long BytesReceived { get; set; }

    public RepositoryContent? Find(string repository) => Repositories.GetValueOrDefault(repository);

    public RepositoryContent Repository(string repository)
    {
        if (!Repositories.TryGetValue(repository, out var content)) Repositories.Add(repository, content = new RepositoryContent());
        return content;
    }

    public UploadSession StartUpload(string repository)
    {
        UploadsStarted++;
        // Predictable ids (not GUIDs) keep recorded requests the same from run to run.
        var session = new UploadSession($"upload-{++_nextUpload}", repository);
        Uploads.Add(session.Id, session);
        return session;
    }
}
