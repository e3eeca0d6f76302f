using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>The head of an HTTP/1.1 request as read off a socket: enough for the test servers and the fault proxy.</summary>
public sealed record HttpRequestHead(string Method, string Target, string Version, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Raw)
{
    public string Path => Target.Split('?', 2)[0];

    public string Query => Target.Contains('?') ? Target.Split('?', 2)[1] : "";

    public long ContentLength => Header("Content-Length") is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : 0;

    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The head again, with <c>Connection: close</c> so one request is one connection (simple to proxy and to cut).</summary>
    public byte[] WithConnectionClose()
    {
        var text = new StringBuilder($"{Method} {Target} {Version}\r\n");
        foreach (var (name, value) in Headers.Where(h => !h.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase))) text.Append($"{name}: {value}\r\n");
        text.Append("Connection: close\r\n\r\n");
        return Encoding.Latin1.GetBytes(text.ToString());
    }
}

/// <summary>Reading and writing bare HTTP/1.1 on a socket stream, for servers that must stay tiny and fully in the test's hands.</summary>
public static class HttpWire
{
    private const int MaxHeadBytes = 64 * 1024;

    /// <summary>The request head, or null when the peer closed or sent something that is not HTTP (a TLS hello, say).</summary>
    public static async Task<HttpRequestHead?> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new List<byte>(1024);
        var one = new byte[1];
        while (buffer.Count < MaxHeadBytes)
        {
            int read;
            try { read = await stream.ReadAsync(one, cancellationToken); }
            catch (IOException) { return null; }
            if (read == 0) return null;
            // 0x16 starts a TLS handshake record: a client trying HTTPS first. Closing makes it fall back.
            if (buffer.Count == 0 && one[0] == 0x16) return null;
            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n') break;
        }
        var raw = buffer.ToArray();
        var lines = Encoding.Latin1.GetString(raw).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/", StringComparison.Ordinal)) return null;
        var headers = lines.Skip(1).Where(l => l.Contains(':'))
            .Select(l => KeyValuePair.Create(l[..l.IndexOf(':')].Trim(), l[(l.IndexOf(':') + 1)..].Trim())).ToList();
        return new HttpRequestHead(requestLine[0], requestLine[1], requestLine[2], headers, raw);
    }

    public static async Task<byte[]> ReadBodyAsync(Stream stream, long length, CancellationToken cancellationToken)
    {
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken);
        return body;
    }

    /// <summary>Copies exactly <paramref name="count"/> bytes (or fewer, if the source ends); returns how many.</summary>
    public static async Task<long> CopyAsync(Stream from, Stream? to, long count, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var copied = 0L;
        while (copied < count)
        {
            var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count - copied)), cancellationToken);
            if (read == 0) break;
            if (to is not null) await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            copied += read;
        }
        return copied;
    }

    public static async Task WriteResponseAsync(Stream stream, int status, string reason, IEnumerable<KeyValuePair<string, string>> headers, byte[] body, CancellationToken cancellationToken)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {reason}\r\n");
        foreach (var (name, value) in headers) head.Append($"{name}: {value}\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), cancellationToken);
        await stream.WriteAsync(body, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>Closes with a reset rather than a clean FIN: what a crashed proxy or a dropped link looks like.</summary>
    public static void Abort(TcpClient client)
    {
        try
        {
            client.Client.LingerState = new LingerOption(true, 0);
            client.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }
}

/// <summary>A loopback TCP server that hands each connection to a handler; stopped (and its connections awaited) on dispose.</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(System.Net.IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _connections = [];

    public LoopbackServer(Func<TcpClient, CancellationToken, Task> handle)
    {
        _listener.Start();
        Port = ((System.Net.IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(handle);
    }

    public int Port { get; }

    private async Task AcceptAsync(Func<TcpClient, CancellationToken, Task> handle)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            var connection = Task.Run(async () =>
            {
                using (client)
                {
                    try { await handle(client, _stop.Token); }
                    catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException) { }
                }
            });
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(connection);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        Task[] open;
        lock (_connections) open = [.. _connections];
        await Task.WhenAny(Task.WhenAll(open), Task.Delay(TimeSpan.FromSeconds(5)));
        _stop.Dispose();
    }
}
