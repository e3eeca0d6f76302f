using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Layers;
using Containers.Oci.Model;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Layers;

/// <summary>
/// The layer writer as a whole: a plan from a real folder becomes a gzip blob whose bytes depend only on the plan and
/// the timestamp, which both .NET's TarReader and GNU tar read back as planned.
/// </summary>
public sealed partial class LayerWriterTests : IDisposable
{
    private static readonly DateTimeOffset Timestamp = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    // 4 + 110 + 14 = 128 bytes: longer than ustar's 100-byte name, short enough for its prefix/name split.
    private const string NestedFolder = "deeply-nested-folder-name-number-one/deeply-nested-folder-name-number-two/deeply-nested-folder-name-three";
    private const string NestedFile = NestedFolder + "/settings.json";

    // One 150-byte name: no '/' split can fit it, so only a PAX header can carry it.
    private static readonly string LongName = "long-" + new string('n', 141) + ".txt";

    private static readonly byte[] BigContent = MakeBigContent();

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [UnixFact]
    public async Task SameInputs_InDifferentFolders_WithDifferentFileTimes_GiveIdenticalBlobs()
    {
        var first = await WriteLayerAsync(CreateSource("one", new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc), reverse: false), "blobs-one");
        var second = await WriteLayerAsync(CreateSource("two", new DateTime(2025, 6, 7, 8, 9, 10, DateTimeKind.Utc), reverse: true), "blobs-two");

        Assert.Equal(first.Descriptor.Digest, second.Descriptor.Digest);
        Assert.Equal(first.DiffId, second.DiffId);
        Assert.Equal(first.Descriptor.Size, second.Descriptor.Size);
        Assert.Equal(await File.ReadAllBytesAsync(first.Path), await File.ReadAllBytesAsync(second.Path));
    }

    [UnixFact]
    public async Task DifferentTimestamp_GivesADifferentDiffId()
    {
        var source = CreateSource("src", DateTime.UtcNow, reverse: false);
        var plan = new LayerPlanBuilder().AddDirectory(source, "/app").Build("app");

        var one = await new LayerWriter(Timestamp).WriteAsync(plan, _temp.Combine("a"), CancellationToken.None);
        var two = await new LayerWriter(Timestamp.AddSeconds(1)).WriteAsync(plan, _temp.Combine("b"), CancellationToken.None);

        Assert.NotEqual(one.DiffId, two.DiffId);
    }

    [UnixFact]
    public async Task DiffId_IsTheSha256OfTheDecompressedTar_AndTheDescriptorDescribesTheBlobFile()
    {
        var layer = await WriteLayerAsync(CreateSource("src", DateTime.UtcNow, reverse: false), "blobs");
        var blob = await File.ReadAllBytesAsync(layer.Path);

        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Decompress(blob))), layer.DiffId);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob)), layer.Descriptor.Digest);
        Assert.Equal(blob.Length, layer.Descriptor.Size);
        Assert.Equal(MediaTypes.OciLayerGzip, layer.Descriptor.MediaType);
        Assert.True(layer.IsLocal);
    }

    [UnixFact]
    public async Task Blob_IsNamedByItsDigestHex_AndNoTemporaryFileRemains()
    {
        var blobs = _temp.Combine("blobs");
        var layer = await WriteLayerAsync(CreateSource("src", DateTime.UtcNow, reverse: false), "blobs");

        var files = Directory.GetFiles(blobs);

        Assert.Equal([Path.Combine(blobs, layer.Descriptor.ParsedDigest.Encoded)], files);
        Assert.Equal(files[0], layer.Path);
    }

    [UnixFact]
    public async Task TarReader_ReadsBackNamesModesOwnersTimesAndLinks()
    {
        var layer = await WriteLayerAsync(CreateSource("src", DateTime.UtcNow, reverse: false), "blobs");

        var entries = ReadWithTarReader(await File.ReadAllBytesAsync(layer.Path));

        Assert.Equal(ExpectedNames(), entries.Select(e => e.Name));
        Assert.All(entries, e =>
        {
            Assert.Equal(0, e.Uid);
            Assert.Equal(0, e.Gid);
            Assert.Equal(Timestamp, e.ModificationTime);
        });
        var byName = entries.ToDictionary(e => e.Name);
        Assert.Equal(TarEntryType.Directory, byName["app/"].Type);
        Assert.Equal("755", byName["app/"].Mode);
        Assert.Equal("755", byName[$"app/{NestedFolder}/"].Mode);
        Assert.Equal("644", byName["app/App.dll"].Mode);
        Assert.Equal("755", byName["app/App"].Mode);
        Assert.Equal("644", byName[$"app/{LongName}"].Mode);
        Assert.Equal("dll", byName["app/App.dll"].Content);
        Assert.Equal("nested", byName[$"app/{NestedFile}"].Content);
        Assert.Equal("long", byName[$"app/{LongName}"].Content);
        Assert.Equal(Convert.ToBase64String(BigContent), byName["app/big.bin"].Content);
        Assert.Equal(TarEntryType.SymbolicLink, byName["app/App.so"].Type);
        Assert.Equal("App.dll", byName["app/App.so"].LinkName);
        Assert.Equal(LongName, byName["app/long-link"].LinkName);
    }

    [UnixFact]
    public async Task SystemTar_ListsTheSameNamesModesOwnersTimesAndLinks()
    {
        var layer = await WriteLayerAsync(CreateSource("src", DateTime.UtcNow, reverse: false), "blobs");

        var listing = SystemTar.Run("--numeric-owner", "--full-time", "-tvzf", layer.Path);
        var lines = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => TarListing().Match(line))
            .ToList();

        Assert.All(lines, m => Assert.True(m.Success, $"unexpected tar listing line: {m.Value}"));
        Assert.Equal(ExpectedNames().Select(n => n.TrimEnd('/')), lines.Select(m => m.Groups["name"].Value.TrimEnd('/')));
        Assert.All(lines, m =>
        {
            Assert.Equal("0/0", m.Groups["owner"].Value);
            Assert.Equal("2024-01-02 03:04:05", m.Groups["time"].Value);
        });
        var modes = lines.ToDictionary(m => m.Groups["name"].Value.TrimEnd('/'), m => m.Groups["mode"].Value);
        Assert.Equal("drwxr-xr-x", modes["app"]);
        Assert.Equal("drwxr-xr-x", modes[$"app/{NestedFolder}"]);
        Assert.Equal("-rw-r--r--", modes["app/App.dll"]);
        Assert.Equal("-rwxr-xr-x", modes["app/App"]);
        Assert.Equal("-rw-r--r--", modes[$"app/{NestedFile}"]);
        Assert.Equal("-rw-r--r--", modes[$"app/{LongName}"]);
        Assert.Equal("lrwxrwxrwx", modes["app/App.so"]);
        var links = lines.Where(m => m.Groups["link"].Success).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["link"].Value);
        Assert.Equal(new Dictionary<string, string> { ["app/App.so"] = "App.dll", ["app/long-link"] = LongName }, links);
    }

    [UnixFact]
    public async Task SystemTar_ExtractsLongNamesWithTheirContent()
    {
        var layer = await WriteLayerAsync(CreateSource("src", DateTime.UtcNow, reverse: false), "blobs");
        var output = _temp.Combine("extracted");
        Directory.CreateDirectory(output);

        SystemTar.Run("-xzf", layer.Path, "-C", output);

        Assert.Equal("nested", File.ReadAllText(Path.Combine(output, "app", NestedFile)));
        Assert.Equal("long", File.ReadAllText(Path.Combine(output, "app", LongName)));
        Assert.Equal(BigContent, File.ReadAllBytes(Path.Combine(output, "app", "big.bin")));
        Assert.Equal("long", File.ReadAllText(Path.Combine(output, "app", "long-link")));
    }

    [Fact]
    public async Task AnAddedFile_GetsThePlansOwner_ButTheFoldersAboveItStayRoots()
    {
        var file = _temp.WriteFile("src/a.txt", "a");
        var plan = new LayerPlanBuilder(uid: 1654, gid: 1654).AddFile(file, "/home/app/a.txt").Build("owned");

        var layer = await new LayerWriter(Timestamp).WriteAsync(plan, _temp.Combine("blobs"), CancellationToken.None);
        var entries = ReadWithTarReader(await File.ReadAllBytesAsync(layer.Path));

        Assert.Equal(MediaTypes.OciLayerGzip, layer.Descriptor.MediaType);
        Assert.Equal(["home/", "home/app/", "home/app/a.txt"], entries.Select(e => e.Name));
        Assert.Equal([(0, 0), (0, 0), (1654, 1654)], entries.Select(e => (e.Uid, e.Gid)));
    }

    [Fact]
    public async Task ZstdCompression_GivesTheOciZstdMediaType_AndADifferentBlobOfTheSameTar()
    {
        var file = _temp.WriteFile("src/a.txt", "some content to compress");
        var plan = new LayerPlanBuilder().AddFile(file, "/app/a.txt").Build("app");

        var gzip = await new LayerWriter(Timestamp).WriteAsync(plan, _temp.Combine("gzip"), CancellationToken.None);
        var zstd = await new LayerWriter(Timestamp, LayerCompression.Zstd).WriteAsync(plan, _temp.Combine("zstd"), CancellationToken.None);

        Assert.Equal(MediaTypes.OciLayerZstd, zstd.Descriptor.MediaType);
        Assert.Equal(gzip.DiffId, zstd.DiffId);
        Assert.NotEqual(gzip.Descriptor.Digest, zstd.Descriptor.Digest);
        var magic = (await File.ReadAllBytesAsync(zstd.Path))[..4];
        Assert.Equal(new byte[] { 0x28, 0xB5, 0x2F, 0xFD }, magic);
    }

    [Fact]
    public async Task Tar_IsWholeBlocks_EndingWithTwoZeroBlocks()
    {
        var file = _temp.WriteFile("src/a.txt", "odd length");
        var plan = new LayerPlanBuilder().AddFile(file, "/a.txt").Build("one");

        var layer = await new LayerWriter(Timestamp).WriteAsync(plan, _temp.Combine("blobs"), CancellationToken.None);
        var tar = Decompress(await File.ReadAllBytesAsync(layer.Path));

        Assert.Equal(0, tar.Length % 512);
        Assert.Equal(512 + 512 + 1024, tar.Length);
        Assert.All(tar[^1024..], b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task ASourceFileThatVanished_FailsWithoutLeavingABlobOrTempFile()
    {
        var file = _temp.WriteFile("src/a.txt", "a");
        var plan = new LayerPlanBuilder().AddFile(file, "/a.txt").Build("one");
        File.Delete(file);
        var blobs = _temp.Combine("blobs");

        await Assert.ThrowsAnyAsync<Exception>(() => new LayerWriter(Timestamp).WriteAsync(plan, blobs, CancellationToken.None));

        Assert.Empty(Directory.GetFiles(blobs));
    }

    [Fact]
    public async Task ASourceFileThatVanished_IsTheCodedError5005()
    {
        var file = _temp.WriteFile("src/a.txt", "a");
        var plan = new LayerPlanBuilder().AddFile(file, "/app/a.txt").Build("one");
        File.Delete(file);

        var error = await Assert.ThrowsAsync<ContainerException>(() => new LayerWriter(Timestamp).WriteAsync(plan, _temp.Combine("blobs"), CancellationToken.None));

        Assert.Equal("CONTAINER5005", error.Code);
        Assert.Contains(file, error.Message);
    }

    [Fact]
    public async Task AFolderThatCannotBeWritten_IsTheCodedError5520_NamingIt()
    {
        var file = _temp.WriteFile("src/a.txt", "a");
        var plan = new LayerPlanBuilder().AddFile(file, "/app/a.txt").Build("one");
        var blobs = Path.Combine(_temp.WriteFile("not-a-folder", "x"), "blobs");   // under a file: it cannot be created

        var error = await Assert.ThrowsAsync<ContainerException>(() => new LayerWriter(Timestamp).WriteAsync(plan, blobs, CancellationToken.None));

        Assert.Equal(ErrorCatalogue.LayerCacheWriteFailed, error.Error);
        Assert.Contains($"The layer cache at '{blobs}' could not be written", error.Message);
    }

    private static List<string> ExpectedNames() =>
    [
        "app/",
        "app/App",
        "app/App.dll",
        "app/App.so",
        "app/big.bin",
        "app/deeply-nested-folder-name-number-one/",
        "app/deeply-nested-folder-name-number-one/deeply-nested-folder-name-number-two/",
        $"app/{NestedFolder}/",
        $"app/{NestedFile}",
        "app/long-link",
        $"app/{LongName}",
    ];

    /// <summary>The same files every time; only the folder, the creation order and the files' times differ.</summary>
    private string CreateSource(string name, DateTime fileTime, bool reverse)
    {
        var root = _temp.Combine(name);
        var actions = new List<Action>
        {
            () => Write("App.dll", "dll", FileModes.Rw_r__r__),
            () => Write("App", "#!/bin/sh\n", FileModes.Rwxr_xr_x),
            () => Write(NestedFile, "nested", FileModes.Rw_r__r__),
            () => Write(LongName, "long", FileModes.Rw_r__r__),
            () => WriteBytes("big.bin", BigContent),
            () => File.CreateSymbolicLink(Path.Combine(root, "App.so"), "App.dll"),
            () => File.CreateSymbolicLink(Path.Combine(root, "long-link"), LongName),
        };
        if (reverse) actions.Reverse();
        Directory.CreateDirectory(root);
        foreach (var action in actions) action();
        return root;

        void Write(string relative, string content, int mode)
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            FileModes.Set(path, mode);
            File.SetLastWriteTimeUtc(path, fileTime);
        }

        void WriteBytes(string relative, byte[] content)
        {
            var path = Path.Combine(root, relative);
            File.WriteAllBytes(path, content);
            FileModes.Set(path, FileModes.Rw_r__r__);
            File.SetLastWriteTimeUtc(path, fileTime);
        }
    }

    private Task<FileLayer> WriteLayerAsync(string source, string blobFolder)
    {
        var plan = new LayerPlanBuilder().AddDirectory(source, "/app").Build("app");
        return new LayerWriter(Timestamp).WriteAsync(plan, _temp.Combine(blobFolder), CancellationToken.None);
    }

    private static byte[] Decompress(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private sealed record ReadEntry(string Name, TarEntryType Type, string Mode, int Uid, int Gid, DateTimeOffset ModificationTime, string LinkName, string? Content);

    private static List<ReadEntry> ReadWithTarReader(byte[] gzip)
    {
        var result = new List<ReadEntry>();
        using var reader = new TarReader(new MemoryStream(Decompress(gzip)));
        while (reader.GetNextEntry() is { } entry)
        {
            string? content = null;
            if (entry.DataStream is { } data)
            {
                using var buffer = new MemoryStream();
                data.CopyTo(buffer);
                var bytes = buffer.ToArray();
                content = entry.Name.EndsWith(".bin", StringComparison.Ordinal) ? Convert.ToBase64String(bytes) : Encoding.UTF8.GetString(bytes);
            }
            result.Add(new ReadEntry(entry.Name, entry.EntryType, FileModes.Octal(entry.Mode), entry.Uid, entry.Gid, entry.ModificationTime, entry.LinkName, content));
        }
        return result;
    }

    /// <summary>Deterministic, poorly compressible content larger than the writer's 64 KiB copy buffer and not a whole block.</summary>
    private static byte[] MakeBigContent()
    {
        var bytes = new byte[70_001];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    // GNU tar -tv: "<mode> <uid>/<gid> <size> <date> <time> <name>[ -> <target>]"
    [GeneratedRegex(@"^(?<mode>[-dl][rwx-]{9}) (?<owner>\d+/\d+) +\d+ (?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (?<name>.+?)(?: -> (?<link>.+))?$")]
    private static partial Regex TarListing();
}
