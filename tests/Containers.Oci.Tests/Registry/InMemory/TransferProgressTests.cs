using System.Collections.Concurrent;
using Containers.Oci.Diagnostics;
using Containers.Oci.Errors;
using Containers.Oci.Registry;
using Containers.Testing.Registry;
using static Containers.Oci.Tests.Registry.InMemory.TestContent;

namespace Containers.Oci.Tests.Registry.InMemory;

/// <summary>A log that implements <see cref="ITransferProgress"/> is told every blob's bytes, up and down; the streams are unchanged.</summary>
public sealed class TransferProgressTests
{
    private readonly InMemoryRegistry _registry = new();

    internal sealed class RecordingLog : IBuildLog, ITransferProgress
    {
        public ConcurrentDictionary<string, (string Description, long? Total, long Bytes, bool Finished)> Transfers { get; } = new();
        public void Info(string message) { }
        public void Detail(string message) { }
        public void Warning(ContainerError warning, string message) { }
        public void Started(string id, string description, long? total) => Transfers[id] = (description, total, 0, false);
        public void Advanced(string id, long bytes) => Transfers.AddOrUpdate(id, _ => throw new InvalidOperationException("not started"), (_, t) => t with { Bytes = t.Bytes + bytes });
        public void Finished(string id) => Transfers.AddOrUpdate(id, _ => throw new InvalidOperationException("not started"), (_, t) => t with { Finished = true });
    }

    [Fact]
    public async Task AnUploadAndADownload_AreEachOneTransfer_WithAllTheirBytes()
    {
        var log = new RecordingLog();
        var blob = Bytes(300_000);
        using var client = new RegistryClient(Host, _registry.ClientOptions() with { Log = log });

        await client.UploadBlobAsync("app", Describe(blob), () => Open(blob));
        await using (var download = await client.OpenBlobStreamAsync("app", Describe(blob)))
        {
            var copy = new MemoryStream();
            await download.CopyToAsync(copy);
            Assert.Equal(blob, copy.ToArray());
        }

        var transfers = log.Transfers.Values.OrderBy(t => t.Description, StringComparer.Ordinal).ToList();
        Assert.Equal(2, transfers.Count);
        Assert.StartsWith("download sha256:", transfers[0].Description);
        Assert.StartsWith("upload sha256:", transfers[1].Description);
        Assert.Contains("registry.test/app", transfers[1].Description);
        Assert.All(transfers, t => Assert.Equal((blob.Length, (long?)blob.Length, true), (t.Bytes, t.Total, t.Finished)));
    }

    [Fact]
    public async Task ALogWithoutIt_GetsTheRegistrysOwnStream()
    {
        var blob = Bytes(1000);
        _registry.AddBlob("app", blob);
        using var client = new RegistryClient(Host, _registry.ClientOptions());

        await using var stream = await client.OpenBlobStreamAsync("app", Describe(blob));

        Assert.IsNotType<ProgressStream>(stream);
    }
}
