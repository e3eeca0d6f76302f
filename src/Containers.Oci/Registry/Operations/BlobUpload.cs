using System.Diagnostics;
using System.Globalization;
using System.Net;
using Containers.Oci.Errors;
using Containers.Oci.Model;
using Containers.Oci.Registry.Handlers;

namespace Containers.Oci.Registry.Operations;

/// <summary>
/// Pushes one blob: <c>POST</c> opens an upload session; then one <c>PUT ?digest=</c> carrying the content (small blobs),
/// or <c>PATCH</c>es of one chunk each with <c>Content-Range</c> and an empty closing <c>PUT ?digest=</c>. Content is
/// streamed from its source, never held in memory.
/// When a step fails on the way (a dropped connection, 408, 429, 5xx), the upload asks the registry how much it has
/// (<c>GET</c> on the session: its <c>Range</c>) and goes on from there; when the session is gone, it starts again.
/// Failures in a row are bounded in count and time; each accepted chunk resets them.
/// A registry that will not take chunks (PATCH refused as unsupported) gets the blob in one PUT, one that refuses parts
/// as too small (ECR) gets larger ones, and parts are never below the <c>OCI-Chunk-Min-Length</c> a session announces.
/// </summary>
internal sealed class BlobUpload(RegistryTransport transport, UploadHabits? habits = null)
{
    private readonly UploadHabits _habits = habits ?? new UploadHabits();

    public async Task RunAsync(string repository, Descriptor descriptor, Func<CancellationToken, Task<Stream>> openContent, CancellationToken cancellationToken)
    {
        var target = $"{transport.Registry}/{repository}";
        var settings = transport.Settings;
        var policy = settings.Retry;
        var monolithic = descriptor.Size <= settings.MonolithicLimit || _habits.RefusesChunks;
        await using var source = new UploadSource(openContent, descriptor, target);

        var session = new Session();
        int failures = 0, restarts = 0;
        var sinceProgress = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await PushAsync(repository, source, session, monolithic, () =>
                {
                    failures = 0;
                    sinceProgress.Restart();
                }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (UploadRefused refused)
            {
                // Not a failure that waiting mends: the registry wants another shape of upload. Change it and start again at once.
                if (++restarts > policy.MaxRetries) throw ErrorCatalogue.BlobUploadFailed.ToException(descriptor.Digest, target, refused.Answer);
                if (refused.PartSize is { } part)
                {
                    var larger = UploadAnswers.LargerPart(part);
                    _habits.RaiseMinPart(larger);
                    settings.Log.Detail($"Upload of {Short(descriptor)}: the registry refused a part of {part} bytes as too small ({refused.Answer}); starting the upload again with parts of {larger} bytes.");
                }
                else
                {
                    _habits.ChunksRefused();
                    monolithic = true;
                    settings.Log.Detail($"Upload of {Short(descriptor)}: the registry does not take chunked uploads ({refused.Answer}); starting the upload again as one PUT.");
                }
                await CancelAsync(repository, session, cancellationToken).ConfigureAwait(false);
                session = new Session();
            }
            catch (StepFailed failure)
            {
                failures++;
                var delay = policy.DelayFor(failures, failure.RetryAfter);
                if (failures > policy.MaxRetries || restarts > policy.MaxRetries || sinceProgress.Elapsed + delay > policy.TimeLimit)
                {
                    var elapsed = string.Create(CultureInfo.InvariantCulture, $"{sinceProgress.Elapsed.TotalSeconds:0.0} s");
                    throw failure.InnerException is { } inner
                        ? ErrorCatalogue.BlobUploadRetriesExhausted.ToException(inner, descriptor.Digest, target, failure.Request, failures, elapsed, failure.Cause)
                        : ErrorCatalogue.BlobUploadRetriesExhausted.ToException(descriptor.Digest, target, failure.Request, failures, elapsed, failure.Cause);
                }
                settings.Log.Detail(string.Create(CultureInfo.InvariantCulture,
                    $"Upload of {Short(descriptor)} to '{target}': {failure.Request} failed ({failure.Cause}); trying again in {delay.TotalSeconds:0.0} s."));
                await policy.Wait(delay, cancellationToken).ConfigureAwait(false);
                var resumable = !monolithic && failure.SessionUsable && session.Location is not null;
                if (!resumable || !await ResumeAsync(repository, session, descriptor, cancellationToken).ConfigureAwait(false))
                {
                    if (session.Location is not null && !monolithic)
                    {
                        settings.Log.Detail($"Upload of {Short(descriptor)}: the registry no longer has the upload session; starting the upload again.");
                    }
                    restarts++;
                    await CancelAsync(repository, session, cancellationToken).ConfigureAwait(false);
                    session = new Session();
                }
            }
        }
    }

    /// <summary>Where an upload stands: its session URL (null before the POST) and how many bytes the registry holds.</summary>
    private sealed class Session
    {
        public Uri? Location { get; set; }
        public long Offset { get; set; }
        public bool Resumed { get; set; }

        /// <summary>The <c>OCI-Chunk-Min-Length</c> the registry announced when it opened the session; 0 when it did not.</summary>
        public long MinChunkLength { get; set; }
    }

    private async Task PushAsync(string repository, UploadSource source, Session session, bool monolithic, Action progressed, CancellationToken cancellationToken)
    {
        var descriptor = source.Descriptor;
        var digest = descriptor.ParsedDigest;
        session.Location ??= await StartAsync(repository, session, descriptor, cancellationToken).ConfigureAwait(false);
        if (monolithic)
        {
            await StepAsync(HttpMethod.Put, UploadLocation.WithDigest(session.Location, digest), () => new ChunkContent(source, 0, descriptor.Size, withRange: false),
                repository, session, descriptor, cancellationToken).ConfigureAwait(false);
            return;
        }
        var chunkSize = Math.Max(transport.Settings.ChunkSize, Math.Max(_habits.MinPart, session.MinChunkLength));
        while (session.Offset < descriptor.Size)
        {
            var offset = session.Offset;
            var length = Math.Min(chunkSize, descriptor.Size - offset);
            var next = await StepAsync(HttpMethod.Patch, session.Location, () => new ChunkContent(source, offset, length, withRange: true),
                repository, session, descriptor, cancellationToken).ConfigureAwait(false);
            session.Location = next ?? session.Location;
            session.Offset = offset + length;
            progressed();
        }
        await StepAsync(HttpMethod.Put, UploadLocation.WithDigest(session.Location, digest), () => new ChunkContent(source, descriptor.Size, 0, withRange: false),
            repository, session, descriptor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a session; its URL is the Location of the 202. Retried by the transport: nothing is lost by asking twice.</summary>
    private async Task<Uri> StartAsync(string repository, Session session, Descriptor descriptor, CancellationToken cancellationToken)
    {
        var uri = transport.Api($"{repository}/blobs/uploads/");
        using var request = RegistryRequest.Create(HttpMethod.Post, uri, [RegistryScope.Push(repository)]);
        using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw await FailureAsync(response, repository, descriptor, cancellationToken).ConfigureAwait(false);
        }
        if (UploadAnswers.MinChunkLength(response) is { } minimum && minimum > transport.Settings.ChunkSize)
        {
            session.MinChunkLength = minimum;
            transport.Settings.Log.Detail($"Upload of {Short(descriptor)}: the registry asks for chunks of at least {minimum} bytes ({UploadAnswers.MinChunkLengthHeader}); sending chunks of that size.");
        }
        return UploadAnswers.LocationOf(response, uri) ?? throw ErrorCatalogue.BlobUploadFailed.ToException(
            descriptor.Digest, $"{transport.Registry}/{repository}", "202 Accepted without a Location header for the upload");
    }

    /// <summary>
    /// Sends one step, not retried by the transport (a repeat must start where the registry stands, not where we did).
    /// Returns the Location the registry gave for the next step; a failure worth another try is a <see cref="StepFailed"/>.
    /// </summary>
    private async Task<Uri?> StepAsync(HttpMethod method, Uri uri, Func<HttpContent> body, string repository, Session session, Descriptor descriptor, CancellationToken cancellationToken)
    {
        using var request = RegistryRequest.Create(method, uri, [RegistryScope.Push(repository)], body, retry: false);
        HttpResponseMessage response;
        try
        {
            response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (RetryPolicy.IsTransientFailure(e))
        {
            throw new StepFailed(RegistryRequest.Describe(request), TransportFailureHandler.Describe(e), null, sessionUsable: true, e);
        }
        using (response)
        {
            // The spec says 202 to a PATCH and 201 to the closing PUT; ECR answers a PATCH with 201. The digest check at the end is what counts.
            if (response.IsSuccessStatusCode) return UploadAnswers.LocationOf(response, uri);
            if (RegistryFailure.IsAccessDenied(response.StatusCode))
            {
                throw await RegistryFailure.FromResponseAsync(response, transport.Registry, repository, cancellationToken).ConfigureAwait(false);
            }
            var answer = await RegistryFailure.DescribeAsync(response, cancellationToken).ConfigureAwait(false);
            if (RetryPolicy.IsRetryable(response.StatusCode))
            {
                throw new StepFailed(RegistryRequest.Describe(request), answer, RetryPolicy.RetryAfter(response), sessionUsable: true);
            }
            if (method == HttpMethod.Patch && UploadAnswers.RefusesChunks(response.StatusCode, answer))
            {
                throw new UploadRefused(answer, partSize: null);
            }
            if (method == HttpMethod.Patch && UploadAnswers.PartTooSmall(response.StatusCode, answer))
            {
                throw new UploadRefused(answer, partSize: request.Content?.Headers.ContentLength ?? transport.Settings.ChunkSize);
            }
            // The session is gone or out of step (the registry kept part of a chunk, or cancelled it): start again. After a
            // resume, a digest the registry disagrees with means the same.
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.RequestedRangeNotSatisfiable
                || answer.Contains("BLOB_UPLOAD_", StringComparison.Ordinal)
                || (session.Resumed && answer.Contains("DIGEST_INVALID", StringComparison.Ordinal)))
            {
                throw new StepFailed(RegistryRequest.Describe(request), answer, null, sessionUsable: false);
            }
            throw ErrorCatalogue.BlobUploadFailed.ToException(descriptor.Digest, $"{transport.Registry}/{repository}", answer);
        }
    }

    /// <summary>
    /// Asks the registry how far the session got (<c>Range: 0-&lt;last byte&gt;</c>) and where to go on. False when the
    /// session is gone or out of step, so the upload must start again.
    /// </summary>
    private async Task<bool> ResumeAsync(string repository, Session session, Descriptor descriptor, CancellationToken cancellationToken)
    {
        using var request = RegistryRequest.Create(HttpMethod.Get, session.Location!, [RegistryScope.Push(repository)]);
        using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || RangeEnd(response) is not { } end) return false;
        // "0-0" is both "nothing" and "one byte": nothing is the safe reading; a digest mismatch at the end would catch it.
        var offset = end == 0 ? 0 : end + 1;
        if (offset > descriptor.Size) return false;
        session.Location = UploadAnswers.LocationOf(response, session.Location!) ?? session.Location;
        session.Offset = offset;
        session.Resumed = true;
        transport.Settings.Log.Detail($"Upload of {Short(descriptor)}: the registry holds {offset} of {descriptor.Size} bytes; going on from there.");
        return true;
    }

    /// <summary>Cancels a session the upload leaves behind (DELETE), so the registry frees what it holds; its answer does not matter.</summary>
    private async Task CancelAsync(string repository, Session session, CancellationToken cancellationToken)
    {
        if (session.Location is null) return;
        try
        {
            using var request = RegistryRequest.Create(HttpMethod.Delete, session.Location, [RegistryScope.Push(repository)], retry: false);
            using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static long? RangeEnd(HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues("Range", out var values)) return null;
        var text = values.FirstOrDefault()?.Trim() ?? "";
        if (text.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) text = text[6..];
        var dash = text.IndexOf('-');
        return dash > 0 && long.TryParse(text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end) ? end : null;
    }

    private async Task<Exception> FailureAsync(HttpResponseMessage response, string repository, Descriptor descriptor, CancellationToken cancellationToken)
    {
        if (RegistryFailure.IsAccessDenied(response.StatusCode))
        {
            return await RegistryFailure.FromResponseAsync(response, transport.Registry, repository, cancellationToken).ConfigureAwait(false);
        }
        var answer = await RegistryFailure.DescribeAsync(response, cancellationToken).ConfigureAwait(false);
        return ErrorCatalogue.BlobUploadFailed.ToException(descriptor.Digest, $"{transport.Registry}/{repository}", answer);
    }

    private static string Short(Descriptor descriptor) => descriptor.Digest.Length > 19 ? descriptor.Digest[..19] : descriptor.Digest;

    /// <summary>The registry will not take the upload in this shape: no chunks at all (no part size), or larger parts.</summary>
    private sealed class UploadRefused(string answer, long? partSize) : Exception(answer)
    {
        public string Answer { get; } = answer;
        public long? PartSize { get; } = partSize;
    }

    /// <summary>A step that failed in a way another try may mend.</summary>
    private sealed class StepFailed(string request, string cause, TimeSpan? retryAfter, bool sessionUsable, Exception? inner = null) : Exception(cause, inner)
    {
        public string Request { get; } = request;
        public string Cause { get; } = cause;
        public TimeSpan? RetryAfter { get; } = retryAfter;
        public bool SessionUsable { get; } = sessionUsable;
    }
}
