using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.SupplyChain;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.SupplyChain;

/// <summary>A base image's OS packages come from its layers as the container sees them: later layers win, whiteouts delete.</summary>
public sealed class LayerFactsTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SampleImages _images;

    public LayerFactsTests() => _images = new SampleImages(_temp.Combine("layers"));

    public void Dispose() => _temp.Dispose();

    private static string Record(string name, string version) => $"Package: {name}\nVersion: {version}\nArchitecture: amd64\n";

    [Fact]
    public async Task StatusDRecords_AcrossLayers_AreOverlaid_WithWhiteoutsAndOpaqueFolders()
    {
        var bottom = _images.Layer(("var/lib/dpkg/status.d/libc6", Record("libc6", "2.36")), ("var/lib/dpkg/status.d/zlib1g", Record("zlib1g", "1.2")),
            ("var/lib/dpkg/status.d/libc6.md5sums", "abc  usr/lib/libc.so.6\n"), ("etc/os-release", "ID=debian\nVERSION_ID=12\n"));
        var middle = _images.Layer(("var/lib/dpkg/status.d/.wh.zlib1g", ""), ("var/lib/dpkg/status.d/libc6", Record("libc6", "2.37")));
        var top = _images.Layer(("var/lib/dpkg/status.d/libssl3", Record("libssl3", "3.0")));
        var image = SampleImages.Build([bottom, middle, top]);

        var facts = await new BaseImageScanner(null, NullBuildLog.Instance).ScanAsync(image, "registry.example.com/base:1", default);

        Assert.Equal(["libc6 2.37", "libssl3 3.0"], facts.OsPackages.Select(p => $"{p.Name} {p.Version}"));
        Assert.Equal(("debian", "12"), (facts.OsId, facts.OsVersion));
        Assert.Equal(image.Digest.ToString(), facts.Digest);

        var opaque = _images.Layer(("var/lib/dpkg/status.d/.wh..wh..opq", ""), ("var/lib/dpkg/status", Record("base-files", "12.4")));
        var replaced = await new BaseImageScanner(null, NullBuildLog.Instance).ScanAsync(SampleImages.Build([bottom, opaque]), "b", default);
        Assert.Equal(["base-files 12.4"], replaced.OsPackages.Select(p => $"{p.Name} {p.Version}"));
    }

    [Fact]
    public async Task ASortedLayer_IsLeftOnceTheNamesPassTheDatabase_AndStillGivesEveryRecord()
    {
        // Names in order, as reproducible writers sort them; the last entry past the database is not a tar at all.
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var name in Enumerable.Range(0, 40).Select(i => $"usr/share/doc/p{i:D2}").Append("var/lib/dpkg/status.d/libc6").Append("var/lib/zzz"))
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(Record("libc6", "2.36"))) });
            }
        }
        // The end-of-archive blocks replaced by garbage: reading one entry further than the stop point would fail.
        var bytes = tar.ToArray()[..^1024].Concat(Encoding.ASCII.GetBytes(new string('x', 2048))).ToArray();
        var layer = new MemoryLayer(new Descriptor { MediaType = MediaTypes.OciLayer, Digest = Digest.Sha256(bytes).ToString(), Size = bytes.Length }, bytes);

        var facts = await LayerFacts.ReadAsync(layer, default);

        Assert.Equal(["var/lib/dpkg/status.d/libc6"], facts!.Files.Keys);
    }

    [Fact]
    public async Task AStreamedLayer_IsReadToItsEnd_EvenWhenTheWantedNamesHavePassed_SoItsDigestIsChecked()
    {
        // Sorted names: the facts are known after the database, but a streamed blob is verified only at its end.
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var name in Enumerable.Range(0, 40).Select(i => $"usr/share/doc/p{i:D2}").Append("var/lib/dpkg/status").Append("var/lib/zzz"))
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(Record("libc6", "2.36"))) });
            }
        }
        var bytes = tar.ToArray();
        var layer = new StreamedLayer(new Descriptor { MediaType = MediaTypes.OciLayer, Digest = Digest.Sha256(bytes).ToString(), Size = bytes.Length }, bytes);

        var kept = await LayerFacts.ReadAsync(layer, default);
        Assert.Equal((1, 0), (layer.Opened, layer.Streamed));
        Assert.True(layer.LastRead < bytes.Length);   // a kept (verified) blob is left once the names pass the database

        var streamed = await LayerFacts.ReadAsync(layer, default, keep: false);
        Assert.Equal((1, 1), (layer.Opened, layer.Streamed));
        Assert.Equal(bytes.Length, layer.LastRead);
        Assert.Equal(kept!.Files, streamed!.Files);
    }

    /// <summary>A layer that counts how it was opened and how far its last stream was read.</summary>
    private sealed class StreamedLayer(Descriptor descriptor, byte[] content) : ILayer
    {
        private Tracked? _last;

        public int Opened { get; private set; }
        public int Streamed { get; private set; }
        public long LastRead => _last?.Reached ?? 0;

        public Descriptor Descriptor => descriptor;
        public string DiffId => descriptor.Digest;
        public bool IsLocal => false;
        public Containers.Oci.Names.ImageReference? MountSource => null;
        public string Origin => "a test";

        public Task<Stream> OpenAsync(CancellationToken cancellationToken)
        {
            Opened++;
            return Task.FromResult<Stream>(_last = new Tracked(content));
        }

        public Task<Stream> ReadOnceAsync(CancellationToken cancellationToken)
        {
            Streamed++;
            return Task.FromResult<Stream>(_last = new Tracked(content));
        }

        public ILayer WithDescriptor(Descriptor other) => new StreamedLayer(other, content);

        /// <summary>Remembers how far it was read when it is closed.</summary>
        private sealed class Tracked(byte[] content) : MemoryStream(content, writable: false)
        {
            public long Reached { get; private set; }

            protected override void Dispose(bool disposing)
            {
                if (disposing && CanRead) Reached = Position;
                base.Dispose(disposing);
            }
        }
    }

    [Fact]
    public async Task ALayersFacts_AreRememberedByDigest_SoTheLayerIsReadOnce()
    {
        var layer = _images.Layer(("var/lib/dpkg/status", Record("libc6", "2.36")));
        var memo = _temp.Combine("memo");
        var image = SampleImages.Build([layer]);
        await new BaseImageScanner(memo, NullBuildLog.Instance).ScanAsync(image, "b", default);
        File.Delete(layer.Path);   // a second scan that opened the layer would fail

        var again = await new BaseImageScanner(memo, NullBuildLog.Instance).ScanAsync(image, "b", default);

        Assert.Equal("libc6", Assert.Single(again.OsPackages).Name);
    }

    [Fact]
    public void TheBasesFrameworks_ComeFromItsEnvironment()
    {
        var config = new JsonObject { ["config"] = new JsonObject { ["Env"] = new JsonArray("PATH=/usr/bin", "DOTNET_VERSION=10.0.1", "ASPNET_VERSION=10.0.2") } };

        Assert.Equal([("Microsoft.NETCore.App", "10.0.1"), ("Microsoft.AspNetCore.App", "10.0.2")], BaseImageScanner.Frameworks(config));
    }
}
