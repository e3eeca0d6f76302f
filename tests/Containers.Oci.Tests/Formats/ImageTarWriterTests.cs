using System.Formats.Tar;
using System.Text;
using Containers.Oci.Formats;

namespace Containers.Oci.Tests.Formats;

public class ImageTarWriterTests
{
    private static async Task<byte[]> WriteAsync(Func<ImageTarWriter, Task> write)
    {
        using var output = new MemoryStream();
        var tar = new ImageTarWriter(output, DateTimeOffset.UnixEpoch);
        await write(tar);
        await tar.FinishAsync(CancellationToken.None);
        return output.ToArray();
    }

    [Fact]
    public async Task Entries_ReadBackWithTheirFolders_AndNamesLongerThanUstarHolds()
    {
        var sha512Path = "blobs/sha512/" + new string('a', 128);

        var bytes = await WriteAsync(async tar =>
        {
            await tar.WriteFileAsync("index.json", Encoding.UTF8.GetBytes("{}"), CancellationToken.None);
            await tar.WriteFileAsync(sha512Path, Encoding.UTF8.GetBytes("long"), CancellationToken.None);
        });

        using var reader = new TarReader(new MemoryStream(bytes));
        var entries = new List<(string, TarEntryType, string)>();
        while (reader.GetNextEntry() is { } entry)
        {
            var text = entry.DataStream is null ? "" : new StreamReader(entry.DataStream).ReadToEnd();
            entries.Add((entry.Name, entry.EntryType, text));
        }
        Assert.Equal([
            ("index.json", TarEntryType.RegularFile, "{}"),
            ("blobs/", TarEntryType.Directory, ""),
            ("blobs/sha512/", TarEntryType.Directory, ""),
            (sha512Path, TarEntryType.RegularFile, "long"),
        ], entries);
    }

    [Fact]
    public async Task AContentShorterOrLongerThanItsSize_FailsInsteadOfMakingABrokenArchive()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() => WriteAsync(tar => tar.WriteFileAsync("a", new MemoryStream(new byte[10]), 11, CancellationToken.None)));
        await Assert.ThrowsAsync<InvalidDataException>(() => WriteAsync(tar => tar.WriteFileAsync("a", new MemoryStream(new byte[12]), 11, CancellationToken.None)));
    }

    [Fact]
    public async Task TheSameEntries_GiveTheSameBytes()
    {
        Task Write(ImageTarWriter tar) => tar.WriteFileAsync("blobs/sha256/x", Encoding.UTF8.GetBytes("same"), CancellationToken.None);

        Assert.Equal(await WriteAsync(Write), await WriteAsync(Write));
    }
}
