using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>
/// A Debian mirror on loopback that forwards each GET to a real one (the machine's own, see <see cref="AptMirror"/>)
/// and flips one byte in the middle of the answers the test chooses: a mirror or proxy that changes what it serves.
/// Every path asked for is recorded.
/// </summary>
public sealed class TamperingMirror : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private readonly Uri _upstream;
    private readonly Func<string, bool> _tamper;
    private readonly HttpClient _client = new();
    private readonly ConcurrentQueue<string> _paths = new();

    /// <param name="tamper">Whether to alter the answer for a path (below the repository root, e.g. <c>dists/bookworm/InRelease</c>).</param>
    public TamperingMirror(Uri upstream, Func<string, bool> tamper)
    {
        _upstream = new Uri(upstream.AbsoluteUri.TrimEnd('/') + "/");
        _tamper = tamper;
        _server = new LoopbackServer(HandleAsync);
    }

    /// <summary>The repository root to give as a package source.</summary>
    public string Url => $"http://127.0.0.1:{_server.Port}/";

    public IReadOnlyList<string> Paths => [.. _paths];

    public int Tampered { get; private set; }

    private async Task HandleAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var stream = client.GetStream();
        var head = await HttpWire.ReadHeadAsync(stream, cancellationToken);
        if (head is null) return;
        var path = head.Target.TrimStart('/');
        _paths.Enqueue(path);
        using var response = await _client.GetAsync(new Uri(_upstream, path), cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.IsSuccessStatusCode && body.Length > 0 && _tamper(path))
        {
            body[body.Length / 2] ^= 0x01;
            Tampered++;
        }
        await HttpWire.WriteResponseAsync(stream, (int)response.StatusCode, response.ReasonPhrase ?? "", [], body, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _client.Dispose();
    }
}

/// <summary>The Debian mirror this machine's apt uses, read from its configuration now (the fixture image was made from it).</summary>
public static class AptMirror
{
    public const string Keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

    public static Uri Debian()
    {
        var sources = File.Exists("/etc/apt/sources.list.d/debian.sources") ? File.ReadAllText("/etc/apt/sources.list.d/debian.sources") : "";
        var uri = sources.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("URIs:", StringComparison.Ordinal))
            .Select(l => l["URIs:".Length..].Trim().Split(' ')[0]).FirstOrDefault(u => !u.Contains("security", StringComparison.Ordinal));
        return new Uri(uri ?? throw new InvalidOperationException("This machine's /etc/apt/sources.list.d/debian.sources names no Debian mirror."));
    }
}
