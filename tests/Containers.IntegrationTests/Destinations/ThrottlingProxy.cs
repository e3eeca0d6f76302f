using System.Net;
using System.Net.Sockets;

namespace Containers.IntegrationTests.Destinations;

/// <summary>
/// A TCP proxy on loopback in front of a registry that slows what the registry sends back to a set rate, so a test can
/// catch a download in the middle. Requests go through untouched; the rate can be lifted while it runs.
/// </summary>
public sealed class ThrottlingProxy : IAsyncDisposable
{
    private const int ChunkSize = 16 * 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public ThrottlingProxy(int upstreamPort, long bytesPerSecond)
    {
        _upstreamPort = upstreamPort;
        BytesPerSecond = bytesPerSecond;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The proxy as a registry name, <c>localhost:PORT</c>: loopback, so spoken to over plain HTTP.</summary>
    public string Registry => $"localhost:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>The rate of the registry's answers; zero or less for no limit.</summary>
    public long BytesPerSecond { get; set; }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token);
                var toRegistry = Pump(client.GetStream(), upstream.GetStream(), throttle: false);
                var toClient = Pump(upstream.GetStream(), client.GetStream(), throttle: true);
                await Task.WhenAny(toRegistry, toClient);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // A client that was killed, or the end of the test.
            }
        }
    }

    private async Task Pump(Stream from, Stream to, bool throttle)
    {
        var buffer = new byte[ChunkSize];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                if (throttle && BytesPerSecond > 0) await Task.Delay(TimeSpan.FromSeconds((double)read / BytesPerSecond), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            try { to.Close(); } catch (IOException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
