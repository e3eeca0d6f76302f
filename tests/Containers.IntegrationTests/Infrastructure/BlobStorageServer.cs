using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>One request the storage server saw: its raw target, and whether it carried an Authorization header.</summary>
public sealed record StorageRequest(string Method, string Target, bool HadAuthorization);

/// <summary>
/// Stands in for the object storage (S3, GCS, Ceph RGW) a registry redirects blob downloads to: another host
/// (<c>127.0.0.1</c>, where the registry is <c>localhost</c>), another port and, when asked, HTTPS with a self-signed
/// certificate. It serves <c>/storage/&lt;repository&gt;/blobs/&lt;digest&gt;?&lt;signature&gt;</c> only when the
/// signed query arrives byte for byte as it was issued (as a presigned URL's signature requires), reading the blob
/// from the registry itself.
/// </summary>
public sealed class BlobStorageServer : IAsyncDisposable
{
    // Shaped like an S3 presigned URL: escaped slashes and equals signs, which must survive the client's URL handling.
    public const string SignedQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request"
        + "&X-Amz-Date=20260101T000000Z&X-Amz-Expires=1200&X-Amz-SignedHeaders=host&X-Amz-Signature=0f3c%2B9a%3D%3D";

    private readonly LoopbackServer _server;
    private readonly int _registryPort;
    private readonly X509Certificate2? _certificate;
    private readonly ConcurrentQueue<StorageRequest> _requests = new();

    public BlobStorageServer(int registryPort, bool https)
    {
        _registryPort = registryPort;
        _certificate = https ? CreateCertificate() : null;
        _server = new LoopbackServer(HandleAsync);
    }

    public string Scheme => _certificate is null ? "http" : "https";

    /// <summary>Where the registry sends a client for a blob.</summary>
    public string UrlFor(string repository, string digest) => $"{Scheme}://127.0.0.1:{_server.Port}/storage/{repository}/blobs/{digest}?{SignedQuery}";

    public IReadOnlyList<StorageRequest> Requests => [.. _requests];

    private async Task HandleAsync(TcpClient client, CancellationToken cancellationToken)
    {
        Stream stream = client.GetStream();
        if (_certificate is not null)
        {
            var tls = new SslStream(stream, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, cancellationToken);
            stream = tls;
        }
        await using (stream)
        {
            var head = await HttpWire.ReadHeadAsync(stream, cancellationToken);
            if (head is null) return;
            _requests.Enqueue(new StorageRequest(head.Method, head.Target, head.Header("Authorization") is not null));
            var parts = head.Path.Split("/blobs/", 2);
            if (head.Method != "GET" || !parts[0].StartsWith("/storage/", StringComparison.Ordinal) || parts.Length != 2)
            {
                await HttpWire.WriteResponseAsync(stream, 404, "Not Found", [], [], cancellationToken);
                return;
            }
            if (head.Query != SignedQuery || head.Header("Authorization") is not null)
            {
                // S3 refuses a presigned URL whose query changed, and one that also carries another authorization.
                var error = Encoding.UTF8.GetBytes("<Error><Code>SignatureDoesNotMatch</Code></Error>");
                await HttpWire.WriteResponseAsync(stream, 403, "Forbidden", [KeyValuePair.Create("Content-Type", "application/xml")], error, cancellationToken);
                return;
            }
            var blob = await ReadFromRegistryAsync(parts[0]["/storage/".Length..], parts[1], cancellationToken);
            await HttpWire.WriteResponseAsync(stream, blob is null ? 404 : 200, blob is null ? "Not Found" : "OK",
                [KeyValuePair.Create("Content-Type", "application/octet-stream")], blob ?? [], cancellationToken);
        }
    }

    private async Task<byte[]?> ReadFromRegistryAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        using var upstream = new TcpClient();
        await upstream.ConnectAsync(IPAddress.Loopback, _registryPort, cancellationToken);
        var stream = upstream.GetStream();
        var request = $"GET /v2/{repository}/blobs/{digest} HTTP/1.1\r\nHost: localhost:{_registryPort}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
        var response = HttpResponseBytes.Parse(await HttpResponseBytes.ReadToEndAsync(stream, cancellationToken));
        return response.Status == 200 ? response.Body : null;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificate?.Dispose();
    }
}

/// <summary>An HTTP/1.1 response read whole off a connection that closes after it: status, head and body.</summary>
public sealed record HttpResponseBytes(int Status, string Head, byte[] Body)
{
    public static async Task<byte[]> ReadToEndAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    public static HttpResponseBytes Parse(byte[] bytes)
    {
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0) return new HttpResponseBytes(0, Encoding.Latin1.GetString(bytes), []);
        var head = Encoding.Latin1.GetString(bytes, 0, end);
        var statusLine = head.Split("\r\n", 2)[0].Split(' ');
        var status = statusLine.Length > 1 && int.TryParse(statusLine[1], out var code) ? code : 0;
        return new HttpResponseBytes(status, head, bytes[(end + 4)..]);
    }

    /// <summary>The response again with another status line and extra headers (the body and its Content-Length unchanged).</summary>
    public byte[] Rewrite(string? statusLine, IEnumerable<KeyValuePair<string, string>> extraHeaders)
    {
        var lines = Head.Split("\r\n").ToList();
        if (statusLine is not null) lines[0] = statusLine;
        lines.AddRange(extraHeaders.Select(h => $"{h.Key}: {h.Value}"));
        return [.. Encoding.Latin1.GetBytes(string.Join("\r\n", lines) + "\r\n\r\n"), .. Body];
    }
}
