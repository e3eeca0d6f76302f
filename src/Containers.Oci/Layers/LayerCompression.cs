using System.IO.Compression;
using Containers.Oci.Model;

namespace Containers.Oci.Layers;

public enum LayerCompression { Gzip, Zstd }

/// <summary>
/// The compressors we write layers with, at fixed levels so the same tar always gives the same blob. gzip is deflated
/// on every core (<see cref="ParallelGzipStream"/>); zstd is single-threaded.
/// </summary>
public static class LayerCompressions
{
    public static Stream Compress(LayerCompression compression, Stream output) => compression switch
    {
        LayerCompression.Gzip => new ParallelGzipStream(output, CompressionLevel.Optimal, leaveOpen: true),
        LayerCompression.Zstd => new ZstdSharp.CompressionStream(output, level: 3, leaveOpen: true),
        _ => throw new ArgumentOutOfRangeException(nameof(compression)),
    };

    public static string MediaType(LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => MediaTypes.OciLayerGzip,
        LayerCompression.Zstd => MediaTypes.OciLayerZstd,
        _ => throw new ArgumentOutOfRangeException(nameof(compression)),
    };

    public static bool TryParse(string? text, out LayerCompression compression)
    {
        compression = LayerCompression.Gzip;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "gzip": return true;
            case "zstd": compression = LayerCompression.Zstd; return true;
            default: return false;
        }
    }
}
