using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>What the proxy does to one request.</summary>
public abstract record Fault
{
    /// <summary>Forward it untouched.</summary>
    public static readonly Fault None = new Pass(TimeSpan.Zero);

    /// <summary>Forward it, but hold the response back for a while.</summary>
    public sealed record Pass(TimeSpan Delay) : Fault;

    /// <summary>Answer with this status (reading the body first, as a real front end would), never reaching the registry.</summary>
    public sealed record Status(int Code, string Reason, int? RetryAfterSeconds = null) : Fault;

    /// <summary>Forward the head and this share of the body, then reset both connections: a link dropped mid-upload.</summary>
    public sealed record CutRequest(double Share) : Fault;

    /// <summary>Forward the whole request, let the registry act on it, then reset the client's connection without an answer.</summary>
    public sealed record DropResponse : Fault;

    /// <summary>
    /// The registry goes down at this request, as a restarting one does: this connection and every other open one are
    /// reset, and so is each new one, until <paramref name="RefusedConnections"/> have been refused (null: until the test
    /// calls <see cref="FaultProxy.ComeBack"/>). Then requests pass again.
    /// </summary>
    public sealed record Outage(int? RefusedConnections) : Fault;
}

/// <summary>One request as the proxy saw it, and what became of it.</summary>
public sealed record ProxiedRequest(int Sequence, string Method, string Path, string Query, long ContentLength, Fault Fault, int? UpstreamStatus);

/// <summary>
/// A fault-injecting HTTP/1.1 proxy on loopback, in front of a registry: each request is one connection (it adds
/// <c>Connection: close</c>) and a policy decides its <see cref="Fault"/>. The Host header is forwarded unchanged, so the
/// registry's upload URLs point back at the proxy. A TLS hello is refused, as a plain-HTTP registry would.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private readonly IPEndPoint _upstream;
    private readonly Func<HttpRequestHead, int, Fault> _policy;
    private readonly ConcurrentQueue<ProxiedRequest> _log = new();
    private readonly ConcurrentDictionary<TcpClient, byte> _open = new();
    private readonly object _outageLock = new();
    private int _sequence;
    private bool _down;
    private int? _refusalsLeft;
    private int _refused;
    private int _outages;

    /// <param name="policy">The fault for a request, given its head and its sequence number (from 1).</param>
    public FaultProxy(int upstreamPort, Func<HttpRequestHead, int, Fault> policy)
    {
        _upstream = new IPEndPoint(IPAddress.Loopback, upstreamPort);
        _policy = policy;
        _server = new LoopbackServer(HandleAsync);
    }

    /// <summary>The proxy as a registry name: <c>localhost:PORT</c>.</summary>
    public string Registry => $"localhost:{_server.Port}";

    public IReadOnlyList<ProxiedRequest> Requests => [.. _log.OrderBy(r => r.Sequence)];

    public int Faults => _log.Count(r => r.Fault is not Fault.Pass);

    /// <summary>Body bytes that reached the registry, per request kind: how much an upload sent in all.</summary>
    public long ForwardedBodyBytes => Interlocked.Read(ref _forwardedBodyBytes);

    private long _forwardedBodyBytes;

    /// <summary>Connections reset because the registry was down (see <see cref="Fault.Outage"/>), counted before each reset.</summary>
    public int RefusedConnections => Volatile.Read(ref _refused);

    /// <summary>How many outages began.</summary>
    public int Outages => Volatile.Read(ref _outages);

    /// <summary>Ends an outage: every connection from now on is handled again.</summary>
    public void ComeBack()
    {
        lock (_outageLock) _down = false;
    }

    private void GoDown(int? refusals)
    {
        lock (_outageLock)
        {
            _down = true;
            _refusalsLeft = refusals;
            _outages++;
        }
        // What a restart does to the connections it had: each is reset, whatever it was in the middle of.
        foreach (var open in _open.Keys) HttpWire.Abort(open);
    }

    /// <summary>True when this connection is refused: the registry is down. Counts it first, and may end the outage.</summary>
    private bool Refuse()
    {
        lock (_outageLock)
        {
            if (!_down) return false;
            _refused++;
            if (_refusalsLeft is { } left)
            {
                _refusalsLeft = left - 1;
                if (left - 1 <= 0) _down = false;
            }
            return true;
        }
    }

    private async Task HandleAsync(TcpClient client, CancellationToken cancellationToken)
    {
        // Open before the check: an outage that begins after it resets this connection with the others.
        _open[client] = 0;
        try
        {
            if (Refuse())
            {
                HttpWire.Abort(client);
                return;
            }
            await HandleOpenAsync(client, cancellationToken);
        }
        finally
        {
            _open.TryRemove(client, out _);
        }
    }

    private async Task HandleOpenAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var downstream = client.GetStream();
        var head = await HttpWire.ReadHeadAsync(downstream, cancellationToken);
        if (head is null) return;
        var sequence = Interlocked.Increment(ref _sequence);
        var fault = _policy(head, sequence);
        // Each request is logged before the client can see its answer (or its cut), so when a client call returns, every
        // request it made is in Requests. Logging after the answer had been written let a test read the log too early.
        var logged = 0;
        void Log(int? upstreamStatus)
        {
            if (Interlocked.Exchange(ref logged, 1) == 0) _log.Enqueue(new ProxiedRequest(sequence, head.Method, head.Path, head.Query, head.ContentLength, fault, upstreamStatus));
        }
        try
        {
            switch (fault)
            {
                case Fault.Status status:
                    await HttpWire.CopyAsync(downstream, null, head.ContentLength, cancellationToken);
                    var headers = status.RetryAfterSeconds is { } seconds ? [KeyValuePair.Create("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture))] : new List<KeyValuePair<string, string>>();
                    var body = Encoding.UTF8.GetBytes($$"""{"errors":[{"code":"UNAVAILABLE","message":"fault injected by the test proxy"}]}""");
                    Log(null);
                    await HttpWire.WriteResponseAsync(downstream, status.Code, status.Reason, [.. headers, KeyValuePair.Create("Content-Type", "application/json")], body, cancellationToken);
                    break;
                case Fault.CutRequest cut:
                    using (var upstream = await ConnectAsync(cancellationToken))
                    {
                        var stream = upstream.GetStream();
                        await stream.WriteAsync(head.WithConnectionClose(), cancellationToken);
                        var share = (long)(head.ContentLength * cut.Share);
                        Interlocked.Add(ref _forwardedBodyBytes, await HttpWire.CopyAsync(downstream, stream, share, cancellationToken));
                        await stream.FlushAsync(cancellationToken);
                        await Task.Delay(50, cancellationToken);   // let the registry take in what it got
                        HttpWire.Abort(upstream);
                    }
                    Log(null);
                    HttpWire.Abort(client);
                    break;
                case Fault.Outage outage:
                    Log(null);
                    GoDown(outage.RefusedConnections);
                    break;
                default:
                    await ForwardAsync(head, downstream, client, fault, Log, cancellationToken);
                    break;
            }
        }
        finally
        {
            Log(null);   // a request that failed on the way is logged too, without an upstream status
        }
    }

    private async Task ForwardAsync(HttpRequestHead head, NetworkStream downstream, TcpClient client, Fault fault, Action<int?> log, CancellationToken cancellationToken)
    {
        using var upstream = await ConnectAsync(cancellationToken);
        var stream = upstream.GetStream();
        await stream.WriteAsync(head.WithConnectionClose(), cancellationToken);
        Interlocked.Add(ref _forwardedBodyBytes, await HttpWire.CopyAsync(downstream, stream, head.ContentLength, cancellationToken));
        await stream.FlushAsync(cancellationToken);

        // The registry closes after its answer (Connection: close); read it whole to learn its status.
        using var response = new MemoryStream();
        await stream.CopyToAsync(response, cancellationToken);
        var bytes = response.ToArray();
        var statusLine = Encoding.Latin1.GetString(bytes, 0, Math.Min(bytes.Length, 32)).Split(' ');
        int? status = statusLine.Length > 1 && int.TryParse(statusLine[1], out var code) ? code : null;
        log(status);
        if (fault is Fault.DropResponse)
        {
            HttpWire.Abort(client);
            return;
        }
        if (fault is Fault.Pass { Delay: var delay } && delay > TimeSpan.Zero) await Task.Delay(delay, cancellationToken);
        await downstream.WriteAsync(bytes, cancellationToken);
        await downstream.FlushAsync(cancellationToken);
    }

    private async Task<TcpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var upstream = new TcpClient();
        await upstream.ConnectAsync(_upstream, cancellationToken);
        return upstream;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
