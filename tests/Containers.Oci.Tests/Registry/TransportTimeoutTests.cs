using System.Net;
using System.Net.Sockets;
using System.Text;
using Containers.Oci.Errors;
using Containers.Oci.Model;
using Containers.Oci.Registry;

namespace Containers.Oci.Tests.Registry;

/// <summary>
/// A dead registry fails in one short, settable timeout (CONTAINER5110), against real sockets; a slow upload that keeps
/// sending is never cut; a plain HTTP server where TLS was expected is CONTAINER5111. No test measures time: each
/// asserts which limit the error names, which the default limits (15 s, 30 s) would not within the test's own guard.
/// </summary>
public sealed class TransportTimeoutTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_registry_that_accepts_connections_and_never_answers_fails_with_the_response_timeout_from_the_environment()
    {
        using var server = new SilentServer();
        // Retries on: a registry that has never answered is not waited for again.
        using var client = new RegistryClient(server.Registry, new RegistryClientOptions
        {
            Environment = new Dictionary<string, string> { [RegistryEnvironment.ResponseTimeout] = "1" },
        });

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.PingAsync().WaitAsync(Guard));

        Assert.Equal(ErrorCatalogue.RegistryTimedOut.Code, error.Code);
        Assert.StartsWith($"The registry '{server.Registry}' did not answer GET /v2/ within 1 s; DOTNET_CONTAINER_REGISTRY_RESPONSE_TIMEOUT sets this limit.", error.Message);
        Assert.True(server.Accepted >= 1);
    }

    [Fact]
    public async Task A_TLS_handshake_that_never_completes_fails_with_the_connect_timeout_from_the_environment()
    {
        using var server = new SilentServer();
        using var client = new RegistryClient(server.Registry, new RegistryClientOptions
        {
            TreatLoopbackAsInsecure = false,   // HTTPS from the first byte, as a registry elsewhere
            Environment = new Dictionary<string, string> { [RegistryEnvironment.ConnectTimeout] = "1" },
        });

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.PingAsync().WaitAsync(Guard));

        Assert.Equal(ErrorCatalogue.RegistryTimedOut.Code, error.Code);
        Assert.StartsWith($"The registry '{server.Registry}' did not accept a connection (TCP and TLS) within 1 s; DOTNET_CONTAINER_REGISTRY_CONNECT_TIMEOUT sets this limit.", error.Message);
    }

    [Fact]
    public async Task A_plain_HTTP_server_where_TLS_is_expected_is_CONTAINER5111_saying_how_to_mark_it_insecure()
    {
        using var server = new SilentServer("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        using var client = new RegistryClient(server.Registry, new RegistryClientOptions
        {
            TreatLoopbackAsInsecure = false,
            Environment = new Dictionary<string, string>(),
        });

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.PingAsync().WaitAsync(Guard));

        Assert.Equal(ErrorCatalogue.RegistrySpeaksPlainHttp.Code, error.Code);
        Assert.Contains($"answered the TLS handshake at https://{server.Registry} in plain HTTP", error.Message);
        Assert.Contains("DOTNET_CONTAINER_INSECURE_REGISTRIES", error.Message);
        Assert.DoesNotContain("frame size", error.Message);
    }

    [Fact]
    public async Task A_response_body_that_stalls_is_CONTAINER5110_not_a_hang()
    {
        var handler = new ScriptedRegistryHandler().Then((_, _) =>
        {
            var content = new StreamContent(new StallingStream(Encoding.UTF8.GetBytes("{\"schemaVersion\":")));
            content.Headers.ContentType = new(MediaTypes.OciManifest);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        });
        using var client = new RegistryClient("registry.example.com", new RegistryClientOptions
        {
            MaxRetries = 0, ResponseTimeout = TimeSpan.FromMilliseconds(300), Environment = new Dictionary<string, string>(),
        }, handler);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync("app", "1").WaitAsync(Guard));

        Assert.Equal(ErrorCatalogue.RegistryTimedOut.Code, error.Code);
        Assert.Contains("did not send more of its answer to GET /v2/app/manifests/1 within 0.3 s", error.Message);
    }

    [Fact]
    public async Task A_slow_upload_that_keeps_sending_is_not_cut_by_the_response_timeout()
    {
        // 16 writes of 80 KiB, each taken 100 ms apart: the whole body takes several times the 400 ms limit.
        var blob = new byte[16 * 81920];
        new Random(7).NextBytes(blob);
        var descriptor = new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256(blob).ToString(), Size = blob.Length };
        long received = 0;
        var handler = new ScriptedRegistryHandler()
            .Then(HttpStatusCode.Accepted, location: "/v2/app/blobs/uploads/u1")
            .Then(async (request, cancellationToken) =>
            {
                var sink = new SlowSink(TimeSpan.FromMilliseconds(100));
                await request.Content!.CopyToAsync(sink, cancellationToken);
                received = sink.Length;
                return new HttpResponseMessage(HttpStatusCode.Created);
            });
        using var client = new RegistryClient("registry.example.com", new RegistryClientOptions
        {
            MaxRetries = 0, ResponseTimeout = TimeSpan.FromMilliseconds(400), Environment = new Dictionary<string, string>(),
        }, handler);

        await client.UploadBlobAsync("app", descriptor, () => new MemoryStream(blob)).WaitAsync(Guard);

        Assert.Equal(blob.Length, received);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("soon")]
    [InlineData("100000")]
    public void An_invalid_timeout_in_the_environment_is_CONTAINER5106(string value)
    {
        var error = Assert.Throws<ContainerException>(() => new RegistryClient("registry.example.com", new RegistryClientOptions
        {
            Environment = new Dictionary<string, string> { [RegistryEnvironment.ResponseTimeout] = value },
        }, new ScriptedRegistryHandler()));

        Assert.Equal(ErrorCatalogue.InvalidRegistrySetting.Code, error.Code);
        Assert.Contains(RegistryEnvironment.ResponseTimeout, error.Message);
    }

    /// <summary>Accepts every connection, reads what comes, and answers nothing (or one fixed answer, then closes).</summary>
    private sealed class SilentServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _sockets = [];
        private readonly CancellationTokenSource _stop = new();
        private int _accepted;

        public SilentServer(string? answer = null)
        {
            _listener.Start();
            _ = AcceptAsync(answer);
        }

        public string Registry => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public int Accepted => Volatile.Read(ref _accepted);

        private async Task AcceptAsync(string? answer)
        {
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    Interlocked.Increment(ref _accepted);
                    lock (_sockets) _sockets.Add(socket);
                    if (answer is not null) _ = AnswerAsync(socket, answer);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }

        private async Task AnswerAsync(Socket socket, string answer)
        {
            try
            {
                var buffer = new byte[4096];
                await socket.ReceiveAsync(buffer, _stop.Token);
                await socket.SendAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client went away first.
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_sockets) _sockets.ForEach(s => s.Dispose());
            _stop.Dispose();
        }
    }

    /// <summary>Gives its first bytes, then waits until cancelled.</summary>
    private sealed class StallingStream(byte[] first) : Stream
    {
        private bool _gave;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_gave)
            {
                _gave = true;
                first.CopyTo(buffer);
                return first.Length;
            }
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Takes each write after a delay, as a slow link does.</summary>
    private sealed class SlowSink(TimeSpan perWrite) : Stream
    {
        private long _length;

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(perWrite, cancellationToken);
            _length += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
