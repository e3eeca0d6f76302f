using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using Containers.Oci.Layers;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Layers;

/// <summary>
/// The parallel gzip writer: one valid gzip member whatever the input size and chunk boundaries, whose bytes depend on
/// the input and chunk size only (not on how many cores compressed it or how the writes were split).
/// </summary>
public sealed class ParallelGzipStreamTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(4096)]          // exactly one chunk
    [InlineData(4096 * 3)]      // an exact number of chunks: the last piece is an empty final block
    [InlineData(4096 * 3 + 17)]
    [InlineData(100_000)]
    public async Task RoundTrips_ThroughDotNetsGzipReader(int length)
    {
        var input = Content(length, seed: length);

        var compressed = await CompressAsync(input, chunkSize: 4096, parallelism: 4, writeSize: 1000);

        Assert.Equal(input, Decompress(compressed));
    }

    [Fact]
    public async Task Output_DoesNotDependOnParallelism_OrOnHowTheInputWasWritten()
    {
        var input = Content(300_000, seed: 7);

        var one = await CompressAsync(input, chunkSize: 8192, parallelism: 1, writeSize: 1);
        var four = await CompressAsync(input, chunkSize: 8192, parallelism: 4, writeSize: 65536);
        var odd = await CompressAsync(input, chunkSize: 8192, parallelism: 3, writeSize: 8191);

        Assert.Equal(one, four);
        Assert.Equal(one, odd);
    }

    [Fact]
    public async Task SynchronousWrites_GiveTheSameBytesAsAsynchronousOnes()
    {
        var input = Content(50_000, seed: 3);
        using var output = new MemoryStream();
        using (var gzip = new ParallelGzipStream(output, leaveOpen: true, chunkSize: 4096, parallelism: 2))
        {
            gzip.Write(input, 0, 20_000);
            gzip.Write(input.AsSpan(20_000));
        }

        Assert.Equal(await CompressAsync(input, 4096, 2, 5000), output.ToArray());
    }

    [Fact]
    public async Task Header_IsFixed_AndTrailerCarriesCrcAndLength()
    {
        var input = Content(10_000, seed: 1);

        var compressed = await CompressAsync(input, chunkSize: 4096, parallelism: 2, writeSize: 10_000);

        // No file name, no time, OS 255 ("unknown"), so Windows and Unix builds agree.
        Assert.Equal(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff }, compressed[..10]);
        Assert.Equal((uint)input.Length, BitConverter.ToUInt32(compressed, compressed.Length - 4));
        Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(input), BitConverter.ToUInt32(compressed, compressed.Length - 8));
    }

    [Fact]
    public async Task CompressesComparablyToASingleGzipStream()
    {
        // Text-like input that compresses well: chunking without a shared dictionary costs a little, not a lot.
        var words = "container layer registry manifest digest platform tarball compression "u8.ToArray();
        var input = Enumerable.Range(0, 2_000_000).Select(i => words[(i * 7 + i / 13) % words.Length]).ToArray();

        var parallel = await CompressAsync(input, chunkSize: ParallelGzipStream.DefaultChunkSize, parallelism: 2, writeSize: 65536);
        using var single = new MemoryStream();
        using (var gzip = new GZipStream(single, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(input);

        Assert.InRange(parallel.Length, 1, single.Length * 11 / 10);
    }

    [UnixFact]
    public async Task GnuGzip_ReadsTheOutput()
    {
        var input = Content(3 * ParallelGzipStream.DefaultChunkSize + 5, seed: 11);
        var compressed = await CompressAsync(input, ParallelGzipStream.DefaultChunkSize, parallelism: 2, writeSize: 65536);
        var path = Path.Combine(Path.GetTempPath(), $"pgz-{Guid.NewGuid():N}.gz");
        await File.WriteAllBytesAsync(path, compressed);
        try
        {
            var start = new ProcessStartInfo("gzip", ["-dc", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var gzip = Process.Start(start)!;
            using var decompressed = new MemoryStream();
            await gzip.StandardOutput.BaseStream.CopyToAsync(decompressed);
            var error = await gzip.StandardError.ReadToEndAsync();
            await gzip.WaitForExitAsync();

            Assert.True(gzip.ExitCode == 0, $"gzip -dc failed: {error}");
            Assert.Equal(SHA256.HashData(input), SHA256.HashData(decompressed.ToArray()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<byte[]> CompressAsync(byte[] input, int chunkSize, int parallelism, int writeSize)
    {
        using var output = new MemoryStream();
        await using (var gzip = new ParallelGzipStream(output, CompressionLevel.Optimal, leaveOpen: true, chunkSize, parallelism))
        {
            for (var offset = 0; offset < input.Length; offset += writeSize)
            {
                await gzip.WriteAsync(input.AsMemory(offset, Math.Min(writeSize, input.Length - offset)));
            }
        }
        return output.ToArray();
    }

    private static byte[] Decompress(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Half random, half repetitive: deflate finds matches, and chunk boundaries fall inside both kinds.</summary>
    private static byte[] Content(int length, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[length];
        for (var i = 0; i < length; i++) bytes[i] = (i / 512 % 2 == 0) ? (byte)random.Next(256) : (byte)(i % 31);
        return bytes;
    }
}
