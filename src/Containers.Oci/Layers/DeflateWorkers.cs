using System.Collections.Concurrent;

namespace Containers.Oci.Layers;

/// <summary>
/// The threads that deflate layer pieces: one per core for the whole process, shared by every layer being written, so
/// several layers compressed at once never oversubscribe the machine. A fixed set of threads also keeps native memory
/// down: each deflater allocates its state with the C allocator, which keeps freed memory in a per-thread arena, so
/// pieces spread over many thread-pool threads would leave that memory behind in many arenas. Idle threads end after
/// a while and are started again when work comes.
/// </summary>
internal static class DeflateWorkers
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);
    private static readonly BlockingCollection<Action> Work = new(new ConcurrentQueue<Action>());
    private static readonly Lock Gate = new();
    private static int _running;

    private static int Size => Math.Max(1, Environment.ProcessorCount);

    public static Task<T> Run<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Work.Add(() =>
        {
            try { completion.SetResult(work()); }
            catch (Exception e) { completion.SetException(e); }
        });
        EnsureThreads();
        return completion.Task;
    }

    private static void EnsureThreads()
    {
        lock (Gate)
        {
            while (_running < Size)
            {
                _running++;
                new Thread(Loop) { IsBackground = true, Name = "containers-deflate" }.Start();
            }
        }
    }

    private static void Loop()
    {
        while (true)
        {
            if (Work.TryTake(out var item, IdleTimeout))
            {
                item();
                continue;
            }
            lock (Gate)
            {
                // Nothing came for a while: end, unless work arrived just now (then take it on the next turn).
                if (Work.Count > 0) continue;
                _running--;
                return;
            }
        }
    }
}
