using Containers.Oci.Layers;
using Containers.Oci.Model;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Layers;

/// <summary>What <see cref="LayerWriter"/> tells an observer: the bytes it reports are in the file, and the end is the blob it returns.</summary>
public sealed class LayerWriteObserverTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_observer_sees_the_file_grow_readable_by_another_handle_and_completes_with_the_blobs_digest_and_size()
    {
        var source = _temp.Combine("src");
        Directory.CreateDirectory(source);
        var random = new Random(7);
        for (var i = 0; i < 4; i++)
        {
            var bytes = new byte[1 << 20];
            random.NextBytes(bytes);   // incompressible: the layer is some MiB, written in several pieces
            await File.WriteAllBytesAsync(Path.Combine(source, $"file{i}.bin"), bytes);
        }
        var plan = new LayerPlanBuilder().AddDirectory(source, "/app").Build("app");
        var observer = new RecordingObserver();

        var layer = await new LayerWriter(DateTimeOffset.UnixEpoch).WriteAsync(plan, _temp.Combine("blobs"), CancellationToken.None, observer);

        Assert.NotNull(observer.Path);
        Assert.True(observer.Sizes.Count > 1, $"{observer.Sizes.Count} reports");
        Assert.Equal(observer.Sizes.Order(), observer.Sizes);
        Assert.All(observer.Readable, r => Assert.True(r.OnDisk >= r.Reported, $"{r.OnDisk} bytes readable when {r.Reported} were reported"));
        Assert.Equal((layer.Descriptor.Digest, layer.Descriptor.Size), (observer.Completion?.Digest.ToString(), observer.Completion?.Size));
        Assert.Equal(layer.Descriptor.Size, observer.Sizes[^1]);
        Assert.Null(observer.Failure);
        Assert.False(File.Exists(observer.Path));   // renamed to its digest
    }

    [Fact]
    public async Task A_cancelled_write_tells_the_observer_it_failed_and_never_that_it_completed()
    {
        var source = _temp.Combine("src");
        Directory.CreateDirectory(source);
        await File.WriteAllBytesAsync(Path.Combine(source, "a.bin"), new byte[4096]);
        var plan = new LayerPlanBuilder().AddDirectory(source, "/app").Build("app");
        var observer = new RecordingObserver();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new LayerWriter(DateTimeOffset.UnixEpoch).WriteAsync(plan, _temp.Combine("blobs"), cancelled.Token, observer));

        Assert.IsAssignableFrom<OperationCanceledException>(observer.Failure);
        Assert.Null(observer.Completion);
    }

    private sealed class RecordingObserver : ILayerWriteObserver
    {
        public string? Path { get; private set; }
        public List<long> Sizes { get; } = [];
        public List<(long Reported, long OnDisk)> Readable { get; } = [];
        public (Digest Digest, long Size)? Completion { get; private set; }
        public Exception? Failure { get; private set; }

        public void Started(string path) => Path = path;

        public void Grew(long bytes)
        {
            Sizes.Add(bytes);
            using var reader = new FileStream(Path!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Readable.Add((bytes, reader.Length));
        }

        public void Completed(Digest digest, long size) => Completion = (digest, size);

        public void Failed(Exception error) => Failure = error;
    }
}
