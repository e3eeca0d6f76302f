using System.Net;
using Containers.Oci.Errors;
using Containers.Oci.Layers;
using Containers.Oci.Model;
using Containers.Oci.Registry;
using Containers.Oci.Stores;
using Containers.Oci.Tests.Support;
using Containers.Testing.Registry;
using static Containers.Oci.Tests.Registry.InMemory.TestContent;

namespace Containers.Oci.Tests.Stores;

/// <summary>
/// The upload ahead of a layer against the in-memory registry, fed by hand as <see cref="LayerWriter"/> would feed it:
/// a file that grows, then its digest or a failure. Each way it can end leaves either the blob or nothing, and no session.
/// </summary>
public sealed class UploadAheadTests : IDisposable
{
    private const string Repository = "team/app";
    private const long Threshold = 1024;
    private const long Part = 1024;
    private readonly InMemoryRegistry _registry = new();
    private readonly TempDirectory _temp = new();
    private readonly ListLog _log = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_layer_past_the_threshold_is_sent_in_parts_while_it_grows_then_closed_with_its_digest()
    {
        using var client = Client();
        await using var ahead = new UploadAhead(client, Repository, _log, CancellationToken.None, Threshold, Part);
        var blob = Bytes(5000);
        await using var layer = new GrowingLayer(_temp.Combine("layer.tmp"), ahead.Observe()!);

        await layer.WriteAsync(blob.AsMemory(0, 3000));
        // The first parts go out before the layer is complete: that is the point.
        await WaitUntil(() => _registry.BytesReceived >= 2048);
        Assert.Equal(0, _registry.BlobsUploaded);
        await layer.WriteAsync(blob.AsMemory(3000));
        layer.Complete(blob);

        Assert.True(await ahead.UploadedAsync(Describe(blob)));
        Assert.Equal(UploadAheadState.Uploaded, layer.Observer.State);
        Assert.Equal(blob, _registry.Blob(Repository, Describe(blob).Digest));
        Assert.Equal(0, _registry.OpenUploads);
        var requests = _registry.Requests.Select(r => r.Method).ToList();
        Assert.Equal("POST", requests[0]);
        Assert.Equal("PUT", requests[^1]);
        Assert.True(requests.Count(m => m == "PATCH") >= 2, string.Join(", ", requests));
        Assert.Contains(_log.Details, l => l.Contains("parts while written", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_display_of_transfers_sees_the_upload_ahead_as_one_transfer_of_unknown_size_with_every_byte()
    {
        var progress = new Registry.InMemory.TransferProgressTests.RecordingLog();
        using var client = new RegistryClient(Host, _registry.ClientOptions() with { Log = progress });
        await using var ahead = new UploadAhead(client, Repository, _log, CancellationToken.None, Threshold, Part);
        var blob = Bytes(5000);
        await using var layer = new GrowingLayer(_temp.Combine("layer.tmp"), ahead.Observe()!);

        await layer.WriteAsync(blob);
        layer.Complete(blob);

        Assert.True(await ahead.UploadedAsync(Describe(blob)));
        var transfer = Assert.Single(progress.Transfers.Values);
        Assert.Equal((5000L, (long?)null, true), (transfer.Bytes, transfer.Total, transfer.Finished));
        Assert.Contains("while it is written", transfer.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_layer_that_stays_below_the_threshold_sends_nothing()
    {
        using var client = Client();
        await using var ahead = new UploadAhead(client, Repository, _log, CancellationToken.None, Threshold, Part);
        var blob = Bytes(500);
        await using var layer = new GrowingLayer(_temp.Combine("layer.tmp"), ahead.Observe()!);

        await layer.WriteAsync(blob);
        layer.Complete(blob);

        Assert.False(await ahead.UploadedAsync(Describe(blob)));
        Assert.Equal(UploadAheadState.NotNeeded, layer.Observer.State);
        Assert.Empty(_registry.Requests);
    }

    [Fact]
    public async Task A_registry_that_refuses_chunks_gets_the_session_cancelled_and_no_further_upload_ahead()
    {
        _registry.RefuseChunkedUploads = true;
        using var client = Client();
        await using var ahead = new UploadAhead(client, Repository, _log, CancellationToken.None, Threshold, Part);
        var blob = Bytes(5000);
        await using var layer = new GrowingLayer(_temp.Combine("layer.tmp"), ahead.Observe()!);

        await layer.WriteAsync(blob);
        layer.Complete(blob);

        Assert.False(await ahead.UploadedAsync(Describe(blob)));
        Assert.Equal(UploadAheadState.Abandoned, layer.Observer.State);
        Assert.Contains(_registry.Requests, r => r.Method == "DELETE");
        Assert.Equal(0, _registry.OpenUploads);
        Assert.Empty(_registry.Blobs(Repository));
        Assert.Contains(_log.Details, l => l.Contains("abandoned", StringComparison.Ordinal) && l.Contains("405", StringComparison.Ordinal));
        Assert.False(client.UploadsAhead);
        Assert.Null(ahead.Observe());
    }

    [Fact]
    public async Task A_failed_layer_write_abandons_the_upload_and_leaves_nothing_in_the_registry()
    {
        using var client = Client();
        await using var ahead = new UploadAhead(client, Repository, _log, CancellationToken.None, Threshold, Part);
        var blob = Bytes(5000);
        await using var layer = new GrowingLayer(_temp.Combine("layer.tmp"), ahead.Observe()!);

        await layer.WriteAsync(blob.AsMemory(0, 3000));
        await WaitUntil(() => _registry.UploadsStarted == 1);
        layer.Observer.Failed(new IOException("No space left on device"));

        Assert.False(await layer.Observer.Outcome!);
        Assert.Equal(UploadAheadState.Abandoned, layer.Observer.State);
        Assert.Equal(0, _registry.OpenUploads);
        Assert.Empty(_registry.Blobs(Repository));
        Assert.Contains(_log.Details, l => l.Contains("abandoned: the layer's write stopped (No space left on device)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_publish_that_stops_cancels_the_session_of_a_layer_still_being_written()
    {
        using var client = Client();
        var ahead = new UploadAhead(client, Repository, _log, CancellationToken.None, Threshold, Part);
        var blob = Bytes(5000);
        await using var layer = new GrowingLayer(_temp.Combine("layer.tmp"), ahead.Observe()!);
        await layer.WriteAsync(blob.AsMemory(0, 3000));
        await WaitUntil(() => _registry.UploadsStarted == 1);

        await ahead.DisposeAsync();

        Assert.False(await layer.Observer.Outcome!);
        Assert.Equal(0, _registry.OpenUploads);
        Assert.Empty(_registry.Blobs(Repository));
        Assert.Contains(_log.Details, l => l.Contains("abandoned: the publish stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_connection_dropped_during_a_part_abandons_the_upload()
    {
        using var client = new RegistryClient(Host, _registry.ClientOptions() with { HttpHandlerFactory = _ => new DropPatches(_registry) });
        await using var ahead = new UploadAhead(client, Repository, _log, CancellationToken.None, Threshold, Part);
        var blob = Bytes(5000);
        await using var layer = new GrowingLayer(_temp.Combine("layer.tmp"), ahead.Observe()!);

        await layer.WriteAsync(blob);
        layer.Complete(blob);

        Assert.False(await ahead.UploadedAsync(Describe(blob)));
        Assert.Equal(UploadAheadState.Abandoned, layer.Observer.State);
        Assert.Equal(0, _registry.OpenUploads);
        Assert.Contains(_log.Details, l => l.Contains("abandoned", StringComparison.Ordinal));
        Assert.True(client.UploadsAhead);   // a dropped connection says nothing about the registry's habits
    }

    [Fact]
    public void The_switch_turns_uploads_ahead_off_and_a_bad_value_is_a_coded_error()
    {
        using var off = new RegistryClient(Host, _registry.ClientOptions(new RegistryClientOptions { Environment = new Dictionary<string, string> { [RegistryEnvironment.UploadAhead] = "false" } }));
        using var option = new RegistryClient(Host, _registry.ClientOptions(new RegistryClientOptions { UploadAhead = false, Environment = new Dictionary<string, string>() }));
        using var on = Client();

        Assert.False(off.UploadsAhead);
        Assert.False(option.UploadsAhead);
        Assert.True(on.UploadsAhead);
        var error = Assert.Throws<ContainerException>(() => new RegistryClient(Host, _registry.ClientOptions(new RegistryClientOptions { Environment = new Dictionary<string, string> { [RegistryEnvironment.UploadAhead] = "sometimes" } })));
        Assert.Equal(ErrorCatalogue.InvalidRegistrySetting, error.Error);
    }

    private RegistryClient Client() => new(Host, _registry.ClientOptions());

    /// <summary>Waits for something the upload does on its own; the limit only keeps a broken test from hanging.</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition()) await Task.Delay(10, limit.Token);
    }

    /// <summary>A layer file written as <see cref="LayerWriter"/> writes one, telling the observer as it goes.</summary>
    private sealed class GrowingLayer : IAsyncDisposable
    {
        private readonly FileStream _file;
        private long _written;

        public GrowingLayer(string path, ILayerWriteObserver observer)
        {
            _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            Observer = (LayerUploadAhead)observer;
            Observer.Started(path);
        }

        public LayerUploadAhead Observer { get; }

        public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
        {
            await _file.WriteAsync(bytes);
            await _file.FlushAsync();
            _written += bytes.Length;
            Observer.Grew(_written);
        }

        public void Complete(byte[] whole) => Observer.Completed(Digest.Sha256(whole), whole.Length);

        public ValueTask DisposeAsync() => _file.DisposeAsync();
    }

    /// <summary>Resets the connection of every PATCH, as a link that drops mid-upload does.</summary>
    private sealed class DropPatches(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => request.Method == HttpMethod.Patch
                ? throw new HttpRequestException("The connection was reset.", new IOException("reset"), HttpStatusCode.BadGateway)
                : base.SendAsync(request, cancellationToken);
    }
}
