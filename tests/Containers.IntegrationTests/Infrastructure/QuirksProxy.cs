using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>
/// The documented habits of hosted registries, one switch each, for <see cref="QuirksProxy"/>. All off is a plain
/// proxy. Sizes and waits are scaled down so tests stay fast; the behaviour is the registry's.
/// </summary>
public sealed record Quirks
{
    /// <summary>
    /// ECR: every part but the last must be at least this long. ECR learns that a part was not the last when the next
    /// one comes, and refuses that one with 400 <c>LayerPartTooSmallException</c> (its real minimum is 5 MiB).
    /// </summary>
    public long? MinChunkLength { get; init; }

    /// <summary>The OCI distribution spec's way to say the same: <c>OCI-Chunk-Min-Length</c> on the POST that opens a session.</summary>
    public bool AnnounceMinChunkLength { get; init; }

    /// <summary>ECR answers an accepted PATCH with 201 Created instead of the spec's 202 Accepted.</summary>
    public bool PatchAnswersCreated { get; init; }

    /// <summary>No chunked uploads: every PATCH is 405 (UNSUPPORTED); a blob must come in one POST+PUT.</summary>
    public bool NoChunkedUploads { get; init; }

    /// <summary>Blob GETs are answered 307 to this storage server (another host, port and perhaps scheme), as S3/GCS back ends do.</summary>
    public BlobStorageServer? RedirectBlobsTo { get; init; }

    /// <summary>Harbor: the first answer sets a CSRF cookie; a write (POST/PATCH/PUT/DELETE) without it is 403 "CSRF token invalid".</summary>
    public bool CsrfCookie { get; init; }

    /// <summary>The first PATCH after the first chunk, or the first closing PUT after a PATCH ("PATCH" or "PUT"), is 400 BLOB_UPLOAD_INVALID.</summary>
    public string? UploadInvalidOnce { get; init; }

    /// <summary>The first upload PATCH/PUT, and the first manifest GET, are answered with this status and Retry-After.</summary>
    public (int Status, int Seconds)? RetryAfterOnce { get; init; }

    /// <summary>Upload bodies (PATCH/PUT) are read from the client at this rate, in small steps: slow but always progressing.</summary>
    public long? UploadBytesPerSecond { get; init; }

    /// <summary>Asks for Basic credentials (401 with a challenge) before forwarding anything; the registry behind sees them too.</summary>
    public (string User, string Password)? BasicAuth { get; init; }
}

/// <summary>One request as the quirks proxy saw it: what it was, the quirk that answered it (null: forwarded) and the status.</summary>
public sealed record QuirkRequest(int Sequence, string Method, string Path, long ContentLength, string? Cookie, string? Quirk, int? Status);

/// <summary>
/// An HTTP/1.1 proxy on loopback in front of the test registry that behaves like a hosted registry with
/// <see cref="Quirks"/> switched on. One request per connection; the Host header is forwarded unchanged, so the
/// registry's upload URLs point back here. Each request is logged before the client can see its answer.
/// </summary>
public sealed class QuirksProxy : IAsyncDisposable
{
    public const string CsrfCookieName = "_gorilla_csrf";
    private const int ThrottleStep = 8 * 1024;
    private readonly LoopbackServer _server;
    private readonly int _upstreamPort;
    private readonly Quirks _quirks;
    private readonly string _csrfToken = Guid.NewGuid().ToString("N");
    private readonly ConcurrentQueue<QuirkRequest> _log = new();
    private readonly ConcurrentDictionary<string, bool> _shortPartSeen = new();
    private readonly ConcurrentDictionary<string, int> _onceFired = new();
    private int _sequence;

    public QuirksProxy(int upstreamPort, Quirks quirks)
    {
        _upstreamPort = upstreamPort;
        _quirks = quirks;
        _server = new LoopbackServer(HandleAsync);
    }

    /// <summary>The proxy as a registry name: <c>localhost:PORT</c>.</summary>
    public string Registry => $"localhost:{_server.Port}";

    public IReadOnlyList<QuirkRequest> Requests => [.. _log.OrderBy(r => r.Sequence)];

    /// <summary>Requests a quirk answered instead of the registry.</summary>
    public IReadOnlyList<QuirkRequest> Refused => [.. Requests.Where(r => r.Quirk is not null)];

    private async Task HandleAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var downstream = client.GetStream();
        var head = await HttpWire.ReadHeadAsync(downstream, cancellationToken);
        if (head is null) return;
        var sequence = Interlocked.Increment(ref _sequence);
        var cookie = head.Header("Cookie");
        void Log(string? quirk, int? status) => _log.Enqueue(new QuirkRequest(sequence, head.Method, head.Path, head.ContentLength, cookie, quirk, status));

        if (Refusal(head) is { } refusal)
        {
            await HttpWire.CopyAsync(downstream, null, head.ContentLength, cancellationToken);   // read the body, as a front end does
            Log(refusal.Quirk, refusal.Status);
            await HttpWire.WriteResponseAsync(downstream, refusal.Status, refusal.Reason, [.. refusal.Headers, .. CookieHeader(head)], refusal.Body, cancellationToken);
            return;
        }
        if (IsBlobGet(head) && _quirks.RedirectBlobsTo is { } storage)
        {
            var (repository, digest) = BlobOf(head.Path);
            Log("redirect", 307);
            await HttpWire.WriteResponseAsync(downstream, 307, "Temporary Redirect",
                [KeyValuePair.Create("Location", storage.UrlFor(repository, digest)), .. CookieHeader(head)], [], cancellationToken);
            return;
        }

        using var upstream = new TcpClient();
        await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, cancellationToken);
        var stream = upstream.GetStream();
        await stream.WriteAsync(head.WithConnectionClose(), cancellationToken);
        if (_quirks.UploadBytesPerSecond is { } rate && head.Method is "PATCH" or "PUT") await ThrottledCopyAsync(downstream, stream, head.ContentLength, rate, cancellationToken);
        else await HttpWire.CopyAsync(downstream, stream, head.ContentLength, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        var response = HttpResponseBytes.Parse(await HttpResponseBytes.ReadToEndAsync(stream, cancellationToken));

        if (_quirks.MinChunkLength is { } min && head.Method == "PATCH" && response.Status == 202 && head.ContentLength < min) _shortPartSeen[head.Path] = true;
        string? statusLine = null;
        var extra = CookieHeader(head).ToList();
        if (_quirks.PatchAnswersCreated && head.Method == "PATCH" && response.Status == 202) statusLine = "HTTP/1.1 201 Created";
        if (_quirks.AnnounceMinChunkLength && _quirks.MinChunkLength is { } announced && head.Method == "POST" && response.Status == 202)
        {
            extra.Add(KeyValuePair.Create("OCI-Chunk-Min-Length", announced.ToString(CultureInfo.InvariantCulture)));
        }
        Log(null, statusLine is null ? response.Status : 201);
        await downstream.WriteAsync(response.Rewrite(statusLine, extra), cancellationToken);
        await downstream.FlushAsync(cancellationToken);
    }

    private sealed record Answer(string Quirk, int Status, string Reason, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body);

    /// <summary>The answer a quirk gives instead of the registry, or null to forward the request.</summary>
    private Answer? Refusal(HttpRequestHead head)
    {
        if (_quirks.BasicAuth is var (user, password)
            && head.Header("Authorization") != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")))
        {
            return Error("basic-auth", 401, "Unauthorized", "UNAUTHORIZED", "authentication required",
                KeyValuePair.Create("WWW-Authenticate", "Basic realm=\"quirks\""));
        }
        var isWrite = head.Method is "POST" or "PATCH" or "PUT" or "DELETE";
        if (_quirks.CsrfCookie && isWrite && !HasCsrfCookie(head))
        {
            return Error("csrf", 403, "Forbidden", "FORBIDDEN", "CSRF token invalid");
        }
        var isUploadStep = head.Method is "PATCH" or "PUT" && head.Path.Contains("/blobs/uploads/", StringComparison.Ordinal);
        if (_quirks.RetryAfterOnce is var (status, seconds)
            && ((isUploadStep && Once("retry-after-upload")) || (head.Method == "GET" && head.Path.Contains("/manifests/", StringComparison.Ordinal) && Once("retry-after-manifest"))))
        {
            return Error("retry-after", status, status == 429 ? "Too Many Requests" : "Service Unavailable", status == 429 ? "TOOMANYREQUESTS" : "UNAVAILABLE",
                "slow down", KeyValuePair.Create("Retry-After", seconds.ToString(CultureInfo.InvariantCulture)));
        }
        if (_quirks.NoChunkedUploads && head.Method == "PATCH")
        {
            return Error("no-chunks", 405, "Method Not Allowed", "UNSUPPORTED", "chunked uploads are not supported; upload the blob in one PUT");
        }
        if (_quirks.UploadInvalidOnce is { } method && head.Method == method && IsMidUpload(head) && Once("upload-invalid"))
        {
            return Error("upload-invalid", 400, "Bad Request", "BLOB_UPLOAD_INVALID", "blob upload invalid");
        }
        if (_quirks.MinChunkLength is { } min && head.Method == "PATCH" && _shortPartSeen.ContainsKey(head.Path))
        {
            return Error("part-too-small", 400, "Bad Request", "LayerPartTooSmallException",
                string.Create(CultureInfo.InvariantCulture, $"All layer parts except the last part should be at least {min} bytes"));
        }
        return null;
    }

    // Mid-upload: a PATCH that does not start the blob, or a closing PUT after chunks (no body, or a digest after PATCHes).
    private bool IsMidUpload(HttpRequestHead head)
        => head.Path.Contains("/blobs/uploads/", StringComparison.Ordinal)
           && (head.Method == "PATCH" ? head.Header("Content-Range") is { } range && !range.StartsWith("0-", StringComparison.Ordinal)
               : _log.Any(r => r.Method == "PATCH" && r.Path == head.Path));

    private bool Once(string name) => _onceFired.AddOrUpdate(name, 1, (_, count) => count + 1) == 1;

    private bool HasCsrfCookie(HttpRequestHead head)
        => head.Header("Cookie")?.Split(';').Any(c => c.Trim() == $"{CsrfCookieName}={_csrfToken}") == true;

    private IEnumerable<KeyValuePair<string, string>> CookieHeader(HttpRequestHead head)
        => _quirks.CsrfCookie && !HasCsrfCookie(head) ? [KeyValuePair.Create("Set-Cookie", $"{CsrfCookieName}={_csrfToken}; Path=/; HttpOnly")] : [];

    private static Answer Error(string quirk, int status, string reason, string code, string message, params KeyValuePair<string, string>[] headers)
        => new(quirk, status, reason, [.. headers, KeyValuePair.Create("Content-Type", "application/json")],
            Encoding.UTF8.GetBytes($$"""{"errors":[{"code":"{{code}}","message":"{{message}}"}]}"""));

    private static bool IsBlobGet(HttpRequestHead head)
        => head.Method == "GET" && head.Path.Contains("/blobs/sha256:", StringComparison.Ordinal);

    private static (string Repository, string Digest) BlobOf(string path)
    {
        var parts = path["/v2/".Length..].Split("/blobs/", 2);
        return (parts[0], parts[1]);
    }

    private static async Task ThrottledCopyAsync(Stream from, Stream to, long count, long bytesPerSecond, CancellationToken cancellationToken)
    {
        var buffer = new byte[ThrottleStep];
        var pause = TimeSpan.FromSeconds((double)ThrottleStep / bytesPerSecond);
        for (var copied = 0L; copied < count;)
        {
            var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count - copied)), cancellationToken);
            if (read == 0) break;
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            copied += read;
            await Task.Delay(pause, cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
