namespace Containers.Testing.Registry;

/// <summary>
/// One request as <see cref="InMemoryRegistry"/> received it, and its answer. Headers are a chosen few (Accept,
/// Content-Type, Content-Range, Content-Length, and of Authorization only its scheme: tests never need the secret).
/// </summary>
/// <param name="Sequence">Arrival order, from 1.</param>
/// <param name="Host">The host (and port) the client addressed: one registry answers for every host, so a copy between two
/// registries by name is told apart here.</param>
/// <param name="Path">The URL path, e.g. <c>/v2/team/app/blobs/uploads/</c>, unescaped.</param>
/// <param name="Query">The query without its <c>?</c>, still escaped; empty when there is none.</param>
public sealed record ReceivedRequest(int Sequence, string Method, string Scheme, string Host, string Path, string Query, IReadOnlyDictionary<string, string> Headers, long BodyLength, int Status)
{
    public string PathAndQuery => Query.Length == 0 ? Path : $"{Path}?{Query}";

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>"PUT /v2/app/manifests/1": the form most assertions compare.</summary>
    public override string ToString() => $"{Method} {Path}";
}
