using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using Containers.Oci.Diagnostics;
using Containers.Oci.Errors;

namespace Containers.Oci.Registry.Handlers;

/// <summary>
/// Tries a request again on 408, 429, 5xx, a dropped connection or no answer in time, waiting as
/// <see cref="RetryPolicy"/> says. Each attempt of a request without a body gets the response timeout. When the
/// attempts or the time run out, it ends in a coded error naming the request, how often it was tried, and the last cause.
/// Requests marked <see cref="RegistryRequest.NoRetry"/> (upload chunks, which resume instead) pass through once.
/// </summary>
internal sealed class RetryHandler(string registry, RetryPolicy policy, TimeSpan responseTimeout, IBuildLog log) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var retries = RegistryRequest.AllowsRetry(request) ? policy.MaxRetries : 0;
        var clock = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (request.Content is null) timeout.CancelAfter(responseTimeout);
            HttpResponseMessage? response = null;
            Exception? failure = null;
            string cause;
            try
            {
                response = await base.SendAsync(request, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
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
                if (!RetryPolicy.IsRetryable(response.StatusCode) || retries == 0) return response;
                cause = await RegistryFailure.DescribeAsync(response, cancellationToken).ConfigureAwait(false);
                retryAfter = RetryPolicy.RetryAfter(response);
                response.Dispose();
            }
            else if (failure is OperationCanceledException)
            {
                if (retries == 0) throw Unreachable(failure, TimedOut(request), request, attempt, clock.Elapsed);
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
                throw failure is null
                    ? ErrorCatalogue.RegistryRetriesExhausted.ToException(RegistryRequest.Describe(request), registry, attempt, Seconds(clock.Elapsed), cause)
                    : Unreachable(failure, cause, request, attempt, clock.Elapsed);
            }
            log.Detail(string.Create(CultureInfo.InvariantCulture,
                $"Registry '{registry}': {RegistryRequest.Describe(request)} failed ({cause}); trying again in {delay.TotalSeconds:0.0} s (attempt {attempt + 1} of {retries + 1})."));
            await policy.Wait(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private string TimedOut(HttpRequestMessage request)
        => string.Create(CultureInfo.InvariantCulture, $"it did not answer {RegistryRequest.Describe(request)} within {responseTimeout.TotalSeconds:0.#} s");

    private ContainerException Unreachable(Exception failure, string cause, HttpRequestMessage request, int attempts, TimeSpan elapsed)
        => attempts == 1 && failure is OperationCanceledException
            ? ErrorCatalogue.RegistryUnreachable.ToException(failure, registry, cause)
            : ErrorCatalogue.RegistryUnreachable.ToException(failure, registry,
                $"{cause} ({RegistryRequest.Describe(request)} tried {attempts} time{(attempts == 1 ? "" : "s")} in {Seconds(elapsed)})");

    private static string Seconds(TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.0} s");
}
