using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Containers.Oci.Errors;

namespace Containers.Oci.Registry.Handlers;

/// <summary>
/// When and how long to wait before trying again: exponential backoff from a base delay with jitter (so parallel
/// uploads do not retry in step), capped, honouring <c>Retry-After</c> up to that cap, bounded in count and in time.
/// </summary>
internal sealed class RetryPolicy(int maxRetries, TimeSpan baseDelay, TimeSpan maxDelay, TimeSpan timeLimit)
{
    public int MaxRetries { get; } = maxRetries;

    public TimeSpan TimeLimit { get; } = timeLimit;

    /// <summary>Replaces the wait; tests record delays instead of sleeping.</summary>
    public Func<TimeSpan, CancellationToken, Task> Wait { get; set; } = Task.Delay;

    /// <param name="retry">1 for the first retry.</param>
    public TimeSpan DelayFor(int retry, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked) return asked < TimeSpan.Zero ? TimeSpan.Zero : asked > maxDelay ? maxDelay : asked;
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30));
        var capped = Math.Min(exponential, maxDelay.TotalMilliseconds);
        // "Equal jitter": at least half the backoff, so waits still grow, but never in lockstep.
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }

    /// <summary>408, 429 and server errors other than 501 and 505, which will not change on a second try.</summary>
    public static bool IsRetryable(HttpStatusCode status)
        => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
           || ((int)status >= 500 && status is not (HttpStatusCode.NotImplemented or HttpStatusCode.HttpVersionNotSupported));

    /// <summary>
    /// A dropped connection or a broken response: worth another try. A refused connection, an unknown host and a TLS
    /// failure are not: they will not mend in seconds, and the user should hear about them at once.
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case ContainerException or OperationCanceledException or AuthenticationException:
                    return false;
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return false;
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError
                    or HttpRequestError.ConfigurationLimitExceeded or HttpRequestError.ProxyTunnelError or HttpRequestError.UserAuthenticationError
                    or HttpRequestError.VersionNegotiationError or HttpRequestError.ExtendedConnectNotSupported }:
                    return false;
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } refused when refused.Message.Contains("refused", StringComparison.OrdinalIgnoreCase):
                    return false;
            }
        }
        // A connection reset between connect and the first byte can surface as a bare SocketException
        // (ENOTCONN from HttpConnectionPool reading the remote end point), not wrapped in an HttpRequestException.
        return exception is HttpRequestException or IOException or SocketException;
    }

    /// <summary>
    /// For steps the caller repeats itself (upload chunks): the coded error the transport turned a transient failure
    /// into, a stall (a timeout of a registry that had answered before), or a broken source stream (another registry's
    /// blob), is worth another try too.
    /// </summary>
    public static bool IsTransientFailure(Exception exception)
        => exception is ContainerException { InnerException: { } inner } coded
           && (coded.Error == ErrorCatalogue.RegistryUnreachable || coded.Error == ErrorCatalogue.BlobDownloadFailed || coded.Error == ErrorCatalogue.RegistryTimedOut)
           && (IsTransient(inner) || inner is OperationCanceledException);

    /// <summary>The wait a 429 or 503 asked for, as seconds or as a date.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider? time = null)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - (time ?? TimeProvider.System).GetUtcNow();
        return null;
    }
}
