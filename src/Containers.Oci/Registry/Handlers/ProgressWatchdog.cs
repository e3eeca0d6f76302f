namespace Containers.Oci.Registry.Handlers;

/// <summary>
/// Cancels one attempt of a request when nothing moves for the response timeout. The retry handler arms one per
/// attempt and makes it <see cref="Current"/> for the send; a request body that streams (<see cref="ChunkContent"/>)
/// calls <see cref="Progress"/> after each write, so a slow upload lives as long as bytes go out, and the wait for the
/// answer starts after its last byte, with room for the bytes still in flight (<see cref="BodySent"/>). A body's own source (another registry's blob) has its own timeout, so the
/// watchdog is paused while the body waits for it.
/// </summary>
internal sealed class ProgressWatchdog : IDisposable
{
    private static readonly AsyncLocal<ProgressWatchdog?> CurrentWatchdog = new();
    private readonly CancellationTokenSource _source;
    private readonly TimeSpan _limit;

    public ProgressWatchdog(TimeSpan limit, CancellationToken cancellationToken)
    {
        _limit = limit;
        _source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _source.CancelAfter(limit);
    }

    /// <summary>The watchdog of the attempt being sent on this async flow, if any.</summary>
    public static ProgressWatchdog? Current
    {
        get => CurrentWatchdog.Value;
        set => CurrentWatchdog.Value = value;
    }

    public CancellationToken Token => _source.Token;

    /// <summary>Bytes moved: the limit starts again.</summary>
    public void Progress() => Set(_limit);

    /// <summary>
    /// A request body's last byte is written: it may still sit in socket buffers on a slow link, and the registry has to
    /// store the blob before it answers, so the wait for the answer gets ten times the limit (5 minutes by default).
    /// A registry that never answers is found long before, by the first request without a body.
    /// </summary>
    public void BodySent() => Set(_limit * 10);

    /// <summary>Waiting on something else that has its own limit.</summary>
    public void Pause() => Set(Timeout.InfiniteTimeSpan);

    /// <summary>The limit ran out, rather than the caller cancelling.</summary>
    public bool HasExpired(CancellationToken callerToken) => _source.IsCancellationRequested && !callerToken.IsCancellationRequested;

    public void Dispose() => _source.Dispose();

    private void Set(TimeSpan delay)
    {
        try
        {
            if (!_source.IsCancellationRequested) _source.CancelAfter(delay);
        }
        catch (ObjectDisposedException)
        {
            // The attempt is over; a late write has nothing to keep alive.
        }
    }
}
