using System.Net;
using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Model;

namespace Containers.Oci.Packages;

/// <summary>
/// Plain HTTP(S) reads from Debian repositories, with the engine's habits: a connect timeout, a time limit per file,
/// retries with backoff for 408, 429, server errors and dropped connections, and content whose hash is known fetched
/// through the content cache, so each index and .deb is downloaded once per machine and verified as it is stored.
/// </summary>
public sealed class RepositoryHttp : IDisposable
{
    private const int Attempts = 3;
    private static readonly TimeSpan FileTimeLimit = TimeSpan.FromMinutes(5);
    private readonly HttpClient _client;
    private readonly ContentCache _cache;
    private int _downloads;

    public RepositoryHttp(ContentCache cache, HttpMessageHandler? handler = null)
    {
        _cache = cache;
        _client = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30), AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("Containers.Build");
    }

    /// <summary>Files fetched from the network by this instance (the content cache answered the others).</summary>
    public int Downloads => _downloads;

    public void Dispose() => _client.Dispose();

    /// <summary>A file whose hash is not known beforehand (InRelease), read whole into memory.</summary>
    public async Task<byte[]> GetBytesAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var content = await OpenAsync(uri, cancellationToken).ConfigureAwait(false);
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return copy.ToArray();
    }

    /// <summary>
    /// The cached path of a file with a known SHA-256 and size; downloaded when the cache lacks it. A mismatch is the
    /// <paramref name="mismatch"/> error (the file is not kept).
    /// </summary>
    public async Task<string> GetVerifiedAsync(Uri uri, string sha256, long size, Func<string, ContainerException> mismatch, CancellationToken cancellationToken)
    {
        var descriptor = new Descriptor { MediaType = "application/octet-stream", Digest = "sha256:" + sha256.ToLowerInvariant(), Size = size };
        try
        {
            return await _cache.GetOrAddAsync(descriptor, async token => await OpenAsync(uri, token).ConfigureAwait(false), uri.AbsoluteUri, cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerException e) when (e.Error == ErrorCatalogue.DigestMismatch)
        {
            throw mismatch(e.Message);
        }
    }

    private async Task<Stream> OpenAsync(Uri uri, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(FileTimeLimit);
            HttpResponseMessage? response = null;
            try
            {
                response = await _client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    // Read whole while the time limit holds, so a stalled download fails here rather than later.
                    var bytes = await response.Content.ReadAsByteArrayAsync(limit.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref _downloads);
                    return new MemoryStream(bytes, writable: false);
                }
                var status = (int)response.StatusCode;
                var retryable = status is 408 or 429 || (status >= 500 && status is not (501 or 505));
                if (!retryable || attempt == Attempts) throw ErrorCatalogue.PackageRepositoryFailed.ToException(uri, $"the server answered {status} {response.ReasonPhrase}");
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (attempt == Attempts) throw ErrorCatalogue.PackageRepositoryFailed.ToException(e, uri, e is OperationCanceledException ? $"no answer within {FileTimeLimit.TotalMinutes} minutes" : e.Message.TrimEnd('.'));
            }
            finally
            {
                response?.Dispose();
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble() / 2)), cancellationToken).ConfigureAwait(false);
        }
    }
}
