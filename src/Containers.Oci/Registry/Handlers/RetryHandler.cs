using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using Containers.Oci.Diagnostics;
using Containers.Oci.Errors;

namespace Containers.Oci.Registry.Handlers;

/// <summary>
/// Tries a request again on 408, 429, 5xx, a dropped connection or no answer in time, waiting as
/// <see cref="RetryPolicy"/> says. Each attempt gets a <see cref="ProgressWatchdog"/>: no answer (or no bytes of a
/// streamed body going out) for the response timeout ends it, and so does a response body that stalls that long. A
/// registry that has never answered this client is not waited for again: a timeout then is CONTAINER5110 at once, so
/// a dead registry fails in one timeout, not in the retry time limit. When the attempts or the time run out, it ends
/// in a coded error naming the request, how often it was tried, and the last cause.
/// Requests marked <see cref="RegistryRequest.NoRetry"/> (upload chunks, which resume instead) pass through once.
/// </summary>
internal sealed class RetryHandler(string registry, RetryPolicy policy, RegistryTimeouts timeouts, IBuildLog log) : DelegatingHandler
{
    private volatile bool _answered;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var retries = RegistryRequest.AllowsRetry(request) ? policy.MaxRetries : 0;
        var clock = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            using var watchdog = new ProgressWatchdog(timeouts.Response, cancellationToken);
            ProgressWatchdog.Current = watchdog;
            HttpResponseMessage? response = null;
            Exception? failure = null;
            string cause;
            try
            {
                response = await base.SendAsync(request, watchdog.Token).ConfigureAwait(false);
                _answered = true;
            }
            catch (OperationCanceledException e) when (watchdog.HasExpired(cancellationToken))
            {
                failure = e;
            }
            catch (Exception e) when (RetryPolicy.IsTransient(e))
            {
                failure = e;
            }

            TimeSpan? retryAfter = null;
            if (response is not null)
            {
                if (!RetryPolicy.IsRetryable(response.StatusCode) || retries == 0) return WithIdleTimeout(request, response);
                cause = await RegistryFailure.DescribeAsync(response, cancellationToken).ConfigureAwait(false);
                retryAfter = RetryPolicy.RetryAfter(response);
                response.Dispose();
            }
            else if (failure is OperationCanceledException)
            {
                // Never answered at all: a dead registry, not a stall. Not an OperationCanceledException inside, so
                // callers that repeat steps (RetryPolicy.IsTransientFailure) do not wait for it again either.
                if (!_answered) throw timeouts.ResponseTimedOut(new TimeoutException("The registry has not answered this client yet.", failure), registry, $"answer {RegistryRequest.Describe(request)}");
                if (retries == 0) throw timeouts.ResponseTimedOut(failure, registry, $"answer {RegistryRequest.Describe(request)}");
                cause = TimedOut(request);
            }
            else
            {
                if (retries == 0) ExceptionDispatchInfo.Throw(failure!);
                cause = TransportFailureHandler.Describe(failure!);
            }

            var delay = policy.DelayFor(attempt, retryAfter);
            if (attempt > retries || clock.Elapsed + delay > policy.TimeLimit || !RegistryRequest.TryResetContent(request))
            {
                throw failure switch
                {
                    null => ErrorCatalogue.RegistryRetriesExhausted.ToException(RegistryRequest.Describe(request), registry, attempt, Seconds(clock.Elapsed), cause),
                    OperationCanceledException => timeouts.ResponseTimedOut(failure, registry,
                        $"answer {RegistryRequest.Describe(request)} (tried {attempt} times in {Seconds(clock.Elapsed)})"),
                    _ => Unreachable(failure, cause, request, attempt, clock.Elapsed),
                };
            }
            log.Detail(string.Create(CultureInfo.InvariantCulture,
                $"Registry '{registry}': {RegistryRequest.Describe(request)} failed ({cause}); trying again in {delay.TotalSeconds:0.0} s (attempt {attempt + 1} of {retries + 1})."));
            await policy.Wait(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private string TimedOut(HttpRequestMessage request)
        => $"it did not answer {RegistryRequest.Describe(request)} within {RegistryTimeouts.Seconds(timeouts.Response)} s";

    /// <summary>The body the caller reads (streamed, or buffered by HttpClient above us) must keep coming too.</summary>
    private HttpResponseMessage WithIdleTimeout(HttpRequestMessage request, HttpResponseMessage response)
    {
        var what = $"send more of its answer to {RegistryRequest.Describe(request)}";
        response.Content = new IdleTimeoutContent(response.Content, timeouts.Response, e => timeouts.ResponseTimedOut(e, registry, what));
        return response;
    }

    private ContainerException Unreachable(Exception failure, string cause, HttpRequestMessage request, int attempts, TimeSpan elapsed)
        => ErrorCatalogue.RegistryUnreachable.ToException(failure, registry,
            $"{cause} ({RegistryRequest.Describe(request)} tried {attempts} time{(attempts == 1 ? "" : "s")} in {Seconds(elapsed)})");

    private static string Seconds(TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.0} s");
}
