using System.Net;
using Containers.Oci.Model;
using Microsoft.Win32.SafeHandles;

namespace Containers.Oci.Registry.Operations;

/// <summary>
/// One upload session for a blob whose bytes arrive over time and whose digest is known only at the end (a layer
/// being compressed): <c>POST</c> opens it, each <c>PATCH</c> carries the next part with <c>Content-Range</c> and a
/// known length, <c>PUT ?digest=</c> closes it, <c>DELETE</c> gives it up. Nothing here retries or falls back: a caller
/// that can do without the session (the push uploads the blob anyway) gives it up on the first <see cref="Failure"/>.
/// A display of transfers (<paramref name="progress"/>, the CLI's) sees the session as one transfer of unknown size,
/// advancing with each part the registry took.
/// </summary>
internal sealed class BlobStreamUpload(RegistryTransport transport, UploadHabits habits, string repository, Diagnostics.ITransferProgress? progress = null)
{
    private readonly string _progressId = Guid.NewGuid().ToString("N");
    private Uri? _location;

    /// <summary>The part size the registry asked for (<c>OCI-Chunk-Min-Length</c>) or that an earlier upload learned; 0 when none.</summary>
    public long MinimumPart { get; private set; }

    public string Target => $"{transport.Registry}/{repository}";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var uri = transport.Api($"{repository}/blobs/uploads/");
        using var request = RegistryRequest.Create(HttpMethod.Post, uri, [RegistryScope.Push(repository)]);
        using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted) throw await FailureAsync(request, response, cancellationToken).ConfigureAwait(false);
        _location = UploadAnswers.LocationOf(response, uri) ?? throw new Failure("POST answered 202 without a Location header");
        progress?.Started(_progressId, $"upload new-layer to {Target}, while it is written", null);
        MinimumPart = habits.MinPart;
        if (UploadAnswers.MinChunkLength(response) is { } minimum) MinimumPart = Math.Max(MinimumPart, minimum);
    }

    /// <summary>Sends bytes <paramref name="offset"/> to <paramref name="offset"/>+<paramref name="length"/> of the file, which must already hold them.</summary>
    public async Task AppendAsync(SafeFileHandle file, long offset, long length, CancellationToken cancellationToken)
    {
        var location = _location ?? throw new InvalidOperationException("The upload was not started.");
        using var request = RegistryRequest.Create(HttpMethod.Patch, location, [RegistryScope.Push(repository)],
            () => new FileSegmentContent(file, offset, length, withRange: true), retry: false);
        using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var failure = await FailureAsync(request, response, cancellationToken).ConfigureAwait(false);
            // The same judgement as BlobUpload's: such a registry gets every blob in one PUT, and no upload ahead.
            if (UploadAnswers.RefusesChunks(response.StatusCode, failure.Message))
            {
                habits.ChunksRefused();
            }
            // ECR refuses a part under 5 MB when the next one comes: later uploads of this client use parts at least that large.
            else if (UploadAnswers.PartTooSmall(response.StatusCode, failure.Message))
            {
                habits.RaiseMinPart(UploadAnswers.LargerPart(length));
            }
            throw failure;
        }
        _location = UploadAnswers.LocationOf(response, location) ?? location;
        progress?.Advanced(_progressId, length);
    }

    /// <summary>Closes the session: the registry checks the bytes it holds against the digest and keeps the blob.</summary>
    public async Task FinishAsync(Digest digest, CancellationToken cancellationToken)
    {
        var location = _location ?? throw new InvalidOperationException("The upload was not started.");
        using var request = RegistryRequest.Create(HttpMethod.Put, UploadLocation.WithDigest(location, digest), [RegistryScope.Push(repository)],
            () => new ByteArrayContent([]), retry: false);
        using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await FailureAsync(request, response, cancellationToken).ConfigureAwait(false);
        _location = null;
        progress?.Finished(_progressId);
    }

    /// <summary>Gives the session up (DELETE), so the registry frees what it holds; best effort, its answer does not matter.</summary>
    public async Task CancelAsync(CancellationToken cancellationToken)
    {
        if (_location is not { } location) return;
        _location = null;
        progress?.Finished(_progressId);
        try
        {
            using var request = RegistryRequest.Create(HttpMethod.Delete, location, [RegistryScope.Push(repository)], retry: false);
            using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Errors.ContainerException or HttpRequestException or OperationCanceledException or IOException)
        {
        }
    }

    private static async Task<Failure> FailureAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
        => new($"{RegistryRequest.Describe(request)} answered {await RegistryFailure.DescribeAsync(response, cancellationToken).ConfigureAwait(false)}");

    /// <summary>The registry did not take a step of the session; the message says which and how it answered (never a secret).</summary>
    public sealed class Failure(string message) : Exception(message);
}
