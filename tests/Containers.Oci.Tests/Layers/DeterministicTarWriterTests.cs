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

    private static async Task<byte[]> WriteAsync(LayerEntry entry)
    {
        using var output = new MemoryStream();
        var writer = new DeterministicTarWriter(output, DateTimeOffset.UnixEpoch);
        await writer.WriteEntryAsync(entry, CancellationToken.None);
        await writer.FinishAsync(CancellationToken.None);
        return output.ToArray();
    }
}
