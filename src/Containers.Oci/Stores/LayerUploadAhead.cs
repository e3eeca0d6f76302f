using System.Diagnostics;
using System.Globalization;
using Containers.Oci.Content;
using Containers.Oci.Layers;
using Containers.Oci.Model;
using Containers.Oci.Registry.Operations;
using Microsoft.Win32.SafeHandles;

namespace Containers.Oci.Stores;

/// <summary>Where one layer's upload ahead stands.</summary>
public enum UploadAheadState
{
    /// <summary>The layer is smaller than the threshold so far: nothing sent.</summary>
    Waiting,

    /// <summary>A session is open; parts go out as the file grows.</summary>
    Uploading,

    /// <summary>The registry holds the blob (its closing PUT was taken).</summary>
    Uploaded,

    /// <summary>Given up (a refused step, a dropped connection, the write failing, the publish stopping); the push uploads it.</summary>
    Abandoned,

    /// <summary>The layer was written whole before it reached the threshold: the push uploads it as usual.</summary>
    NotNeeded,
}

/// <summary>
/// The upload ahead of one layer, told of its file by the <see cref="LayerWriter"/>. Past the threshold it opens a read
/// handle on the growing file (the writer is never slowed: it only signals), opens an upload session, and sends each
/// part as soon as the file holds it: at least the part size while the layer is written, all that is there when the
/// upload fell behind (up to the chunk size); once the digest is known, the rest and the closing <c>PUT ?digest=</c>.
/// Parts carry <c>Content-Range</c> and a known length (see docs/registry.md, "Upload while writing").
/// </summary>
internal sealed class LayerUploadAhead(UploadAhead owner, BlobStreamUpload upload, long threshold, long partSize, long maxPart) : ILayerWriteObserver
{
    private static readonly TimeSpan CancelTimeLimit = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _signal = new(0, 1);
    private string? _path;
    private long _available;
    private (Digest Digest, long Size)? _completed;
    private Exception? _failed;
    private Task<bool>? _run;
    private Stopwatch? _sinceCompleted;

    public UploadAheadState State { get; private set; } = UploadAheadState.Waiting;

    /// <summary>The run's outcome (true: uploaded); null while below the threshold.</summary>
    public Task<bool>? Outcome => _run;

    public void Started(string path) => _path = path;

    public void Grew(long bytes)
    {
        lock (_gate)
        {
            _available = bytes;
            if (_run is null && _completed is null && _failed is null && bytes >= threshold && _path is { } path)
            {
                State = UploadAheadState.Uploading;
                // Opened now, while the writer holds the file under its temporary name (it is renamed once complete).
                SafeFileHandle file;
                try
                {
                    file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    _run = Task.FromResult(Abandon(null, $"the layer file could not be opened for reading ({e.Message.TrimEnd('.')})"));
                    return;
                }
                _run = Task.Run(() => RunAsync(file, owner.Token));
                owner.Started(_run);
            }
        }
        Signal();
    }

    public void Completed(Digest digest, long size)
    {
        lock (_gate)
        {
            if (_completed is not null || _failed is not null) return;
            _completed = (digest, size);
            _available = size;
            _sinceCompleted = Stopwatch.StartNew();
            if (_run is null) State = UploadAheadState.NotNeeded;
            else owner.Completed(digest, _run);
        }
        Signal();
    }

    public void Failed(Exception error)
    {
        lock (_gate)
        {
            // After Completed the upload may go on: the publish fails anyway and stops it, and a blob without a manifest is invisible.
            if (_completed is not null || _failed is not null) return;
            _failed = error;
        }
        Signal();
    }

    private async Task<bool> RunAsync(SafeFileHandle file, CancellationToken cancellationToken)
    {
        var parts = 0;
        var sentWhileWritten = 0L;
        try
        {
            await upload.StartAsync(cancellationToken).ConfigureAwait(false);
            var part = Math.Max(partSize, upload.MinimumPart);
            var largest = Math.Max(part, maxPart);
            var offset = 0L;
            while (true)
            {
                var (available, completed, failed) = Snapshot();
                if (failed is not null) throw new WriteStopped(failed);
                var end = completed?.Size ?? available;
                if (end - offset >= part || (completed is not null && end > offset))
                {
                    var length = Math.Min(end - offset, largest);
                    await upload.AppendAsync(file, offset, length, cancellationToken).ConfigureAwait(false);
                    offset += length;
                    parts++;
                    if (Snapshot().Completed is null) sentWhileWritten = offset;
                    continue;
                }
                if (completed is { } done && offset == done.Size)
                {
                    await upload.FinishAsync(done.Digest, cancellationToken).ConfigureAwait(false);
                    State = UploadAheadState.Uploaded;
                    owner.Detail(string.Create(CultureInfo.InvariantCulture,
                        $"Upload ahead of layer {Short(done.Digest)} to '{upload.Target}': {ByteSize.Format(done.Size)} in {parts} parts while written ({ByteSize.Format(sentWhileWritten)} of it before the layer was complete); done {_sinceCompleted!.Elapsed.TotalMilliseconds:0} ms after the layer was."));
                    return true;
                }
                await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            using var limit = new CancellationTokenSource(CancelTimeLimit);
            await upload.CancelAsync(limit.Token).ConfigureAwait(false);
            return Abandon(Snapshot().Completed?.Digest, Reason(e, cancellationToken));
        }
        finally
        {
            file.Dispose();
        }
    }

    private bool Abandon(Digest? digest, string reason)
    {
        State = UploadAheadState.Abandoned;
        var what = digest is { } d ? $"layer {Short(d)}" : "a layer being written";
        owner.Detail($"Upload ahead of {what} to '{upload.Target}' abandoned: {reason}; the push uploads it as usual.");
        return false;
    }

    private static string Reason(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => "the publish stopped",
        WriteStopped stopped => $"the layer's write stopped ({stopped.InnerException!.Message.TrimEnd('.')})",
        _ => e.Message.TrimEnd('.'),
    };

    private (long Available, (Digest Digest, long Size)? Completed, Exception? Failed) Snapshot()
    {
        lock (_gate) return (_available, _completed, _failed);
    }

    private void Signal()
    {
        lock (_gate)
        {
            if (_signal.CurrentCount == 0) _signal.Release();
        }
    }

    private static string Short(Digest digest) => digest.ToString() is { Length: > 19 } text ? text[..19] : digest.ToString();

    private sealed class WriteStopped(Exception inner) : Exception(inner.Message, inner);
}
