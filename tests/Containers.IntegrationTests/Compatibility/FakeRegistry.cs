using System.Net;
using System.Text;
using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.Compatibility;

/// <summary>
/// A registry that answers what a test tells it to, on a free loopback port: for the answers a real registry will not
/// give (a document that is neither a manifest nor an index). <c>GET /v2/</c> always answers 200.
/// </summary>
public sealed class FakeRegistry : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerRequest, (int Status, string ContentType, string Body)> _answer;
    private readonly Task _loop;

    public FakeRegistry(Func<HttpListenerRequest, (int Status, string ContentType, string Body)> answer)
    {
        _answer = answer;
        var port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        Address = $"127.0.0.1:{port}";
        _loop = Task.Run(ServeAsync);
    }

    public string Address { get; }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try { await _loop; }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }

            var (status, contentType, body) = context.Request.Url!.AbsolutePath == "/v2/" ? (200, "application/json", "{}") : _answer(context.Request);
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
            context.Response.ContentLength64 = bytes.Length;
            if (context.Request.HttpMethod != "HEAD") await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
