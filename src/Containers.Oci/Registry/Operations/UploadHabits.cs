namespace Containers.Oci.Registry.Operations;

/// <summary>
/// What one registry was seen to refuse during a client's life, so later uploads avoid it from the start instead of
/// learning it again: chunked uploads altogether (some registries take a blob only in one PUT), or parts below a size
/// (ECR refuses every part but the last under 5 MiB). Shared by the uploads of one <see cref="RegistryClient"/>.
/// </summary>
internal sealed class UploadHabits
{
    private int _refusesChunks;
    private long _minPart;

    public bool RefusesChunks => Volatile.Read(ref _refusesChunks) == 1;

    /// <summary>The smallest part the registry took without complaint so far asked for; 0 when it never refused one.</summary>
    public long MinPart => Interlocked.Read(ref _minPart);

    public void ChunksRefused() => Volatile.Write(ref _refusesChunks, 1);

    public void RaiseMinPart(long size)
    {
        for (var current = MinPart; size > current; current = MinPart)
        {
            if (Interlocked.CompareExchange(ref _minPart, size, current) == current) return;
        }
    }
}
