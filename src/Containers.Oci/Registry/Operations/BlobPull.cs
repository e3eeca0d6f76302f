using System.Globalization;
using Containers.Oci.Errors;
using Containers.Oci.Model;
using Containers.Oci.Registry.Handlers;

namespace Containers.Oci.Registry.Operations;

/// <summary><c>GET /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>: blob content, always checked against its descriptor as it is read.</summary>
internal sealed class BlobPull(RegistryTransport transport)
{
    // Bytes are for configs and such; layers go through a stream or a file.
    private const long MaxInMemoryBytes = 64L * 1024 * 1024;

    /// <summary>A verifying stream over the blob; disposing it releases the connection.</summary>
    public async Task<Stream> OpenAsync(string repository, Descriptor descriptor, CancellationToken cancellationToken)
    {
        var source = $"{transport.Registry}/{repository}";
        var request = RegistryRequest.Create(HttpMethod.Get, transport.Api($"{repository}/blobs/{descriptor.Digest}"), [RegistryScope.Pull(repository)]);
        HttpResponseMessage? response = null;
        try
        {
            response = await transport.SendAsync(request, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                if (RegistryFailure.IsAccessDenied(response.StatusCode))
                {
                    throw await RegistryFailure.FromResponseAsync(response, transport.Registry, repository, cancellationToken).ConfigureAwait(false);
                }
                var answer = await RegistryFailure.DescribeAsync(response, cancellationToken).ConfigureAwait(false);
                throw ErrorCatalogue.BlobDownloadFailed.ToException(descriptor.Digest, source, "the registry answered " + answer);
            }
            var content = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new VerifyingReadStream(content, descriptor, source, new Owned(request, response));
        }
        catch
        {
            response?.Dispose();
            request.Dispose();
            throw;
        }
    }

    public async Task<byte[]> ReadAllAsync(string repository, Descriptor descriptor, CancellationToken cancellationToken)
    {
        if (descriptor.Size > MaxInMemoryBytes)
        {
            throw new InvalidOperationException($"Blob {descriptor.Digest} has {descriptor.Size} bytes; read blobs this large as a stream or a file.");
        }
        await using var stream = await OpenAsync(repository, descriptor, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream((int)descriptor.Size);
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>
    /// Streams the blob to a temp file beside <paramref name="destinationPath"/> and renames it into place only once
    /// verified, so a failed or corrupt download never leaves a file that looks complete. A connection dropped halfway
    /// starts the download again, as often as the retry policy allows; a digest mismatch never does.
    /// </summary>
    public async Task DownloadAsync(string repository, Descriptor descriptor, string destinationPath, CancellationToken cancellationToken)
    {
        var policy = transport.Settings.Retry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await DownloadOnceAsync(repository, descriptor, destinationPath, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ContainerException e) when (attempt <= policy.MaxRetries && RetryPolicy.IsTransientFailure(e))
            {
                var delay = policy.DelayFor(attempt, null);
                transport.Settings.Log.Detail(string.Create(CultureInfo.InvariantCulture,
                    $"Download of {descriptor.Digest} from '{transport.Registry}/{repository}' broke off ({TransportFailureHandler.Describe(e)}); starting it again in {delay.TotalSeconds:0.0} s."));
                await policy.Wait(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DownloadOnceAsync(string repository, Descriptor descriptor, string destinationPath, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(destinationPath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temp = $"{fullPath}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var source = await OpenAsync(repository, descriptor, cancellationToken).ConfigureAwait(false))
            await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Keeps the request and response alive exactly as long as their content stream.</summary>
    private sealed class Owned(HttpRequestMessage request, HttpResponseMessage response) : IDisposable
    {
        public void Dispose()
        {
            response.Dispose();
            request.Dispose();
        }
    }
}
