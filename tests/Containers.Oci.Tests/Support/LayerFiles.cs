using System.Formats.Tar;
using System.IO.Compression;
using Containers.Oci.Images;

namespace Containers.Oci.Tests.Support;

/// <summary>What a gzip layer holds, for assertions.</summary>
internal static class LayerFiles
{
    /// <summary>Path → text of each file (a link as "-> target") of a gzip layer.</summary>
    public static async Task<Dictionary<string, string>> ReadAsync(FileLayer layer)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var file = System.IO.File.OpenRead(layer.Path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            var name = entry.Name.TrimEnd('/');
            entries[name] = entry.EntryType switch
            {
                TarEntryType.SymbolicLink => "-> " + entry.LinkName,
                TarEntryType.Directory => "(folder)",
                _ => entry.DataStream is null ? "" : await new StreamReader(entry.DataStream).ReadToEndAsync(),
            };
        }
        return entries;
    }
}
