using System.Formats.Tar;
using Containers.Oci.Layers;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Layers;

/// <summary>Names and link targets the tar writer must carry exactly, as other readers (.NET's, GNU tar) read them.</summary>
public sealed class DeterministicTarWriterTests : IDisposable
{
    // 130 bytes: over ustar's 100-byte name, but split at a '/' into a 29-byte prefix and a 100-byte name.
    private static readonly string SplitName = "srv/app/" + new string('p', 20) + "/" + new string('n', 100);
    private static readonly string LongTarget = "/usr/share/" + new string('t', 120);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // Found by TarPathPropertyTests: when a PAX header was needed only for a long link target, the ustar prefix was
    // dropped, so every reader read the link as its last 100 bytes ("nnn…"). The name now stays split in the ustar
    // header (GNU tar, Go) and is in the PAX header too (.NET's TarReader ignores a prefix after one).
    [Fact]
    public async Task A_link_whose_name_fits_a_ustar_split_and_whose_target_needs_PAX_keeps_its_full_name()
    {
        var tar = await WriteAsync(LayerEntry.Symlink(SplitName, LongTarget));

        using var reader = new TarReader(new MemoryStream(tar));
        var entry = await reader.GetNextEntryAsync();

        Assert.NotNull(entry);
        Assert.Equal(SplitName, entry.Name);
        Assert.Equal(LongTarget, entry.LinkName);
        Assert.Null(await reader.GetNextEntryAsync());
    }

    [UnixFact]
    public async Task GNU_tar_reads_the_same_full_name_and_target()
    {
        var path = _temp.Combine("link.tar");
        await File.WriteAllBytesAsync(path, await WriteAsync(LayerEntry.Symlink(SplitName, LongTarget)));

        Assert.EndsWith($" {SplitName} -> {LongTarget}", SystemTar.Run("-tvf", path).Trim());
    }

    // .NET's TarReader cuts a PAX record at its first newline rather than reading it by its length, so it cannot
    // check this name; GNU tar (like Go's archive/tar, which container engines use) reads records by length.
    [UnixFact]
    public async Task A_long_name_with_a_newline_goes_whole_into_the_PAX_header_as_GNU_tar_reads_it()
    {
        var name = "app/" + new string('n', 120) + "\nsecond-line";
        var path = _temp.Combine("newline.tar");
        await File.WriteAllBytesAsync(path, await WriteAsync(LayerEntry.Symlink(name, "target")));

        Assert.Equal(name.Replace("\n", "\\n") + " -> target", SystemTar.Run("-tvf", path).Trim().Split(" 00:00 ", 2)[1]);
    }

    private static async Task<byte[]> WriteAsync(LayerEntry entry)
    {
        using var output = new MemoryStream();
        var writer = new DeterministicTarWriter(output, DateTimeOffset.UnixEpoch);
        await writer.WriteEntryAsync(entry, CancellationToken.None);
        await writer.FinishAsync(CancellationToken.None);
        return output.ToArray();
    }
}
