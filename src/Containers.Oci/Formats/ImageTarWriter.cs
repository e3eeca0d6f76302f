using System.Globalization;
using System.Text;

namespace Containers.Oci.Formats;

/// <summary>
/// Writes the outer tar of an image archive (docker-archive or oci-archive) front to back, so it can go to a pipe
/// (<c>docker load</c>'s stdin) as well as a file. Every size is known before its content is written, so nothing is
/// buffered or seeked. Entries carry one fixed time and owner 0:0, so the same image always gives the same bytes.
/// </summary>
internal sealed class ImageTarWriter(Stream output, DateTimeOffset timestamp)
{
    private const int BlockSize = 512;
    private const int FileMode = 0b110_100_100;      // 0644
    private const int DirectoryMode = 0b111_101_101; // 0755
    private static readonly byte[] Zeros = new byte[BlockSize * 2];
    private readonly long _mtime = Math.Max(0, timestamp.ToUnixTimeSeconds());
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);

    /// <summary>Writes the file's parent folders (once each), then the file.</summary>
    public async Task WriteFileAsync(string name, Stream content, long size, CancellationToken cancellationToken)
    {
        await WriteParentsAsync(name, cancellationToken).ConfigureAwait(false);
        await WriteHeaderAsync(name, (byte)'0', FileMode, size, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[1 << 16];
        long written = 0;
        while (written < size)
        {
            var read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, size - written)), cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            written += read;
        }
        // A source shorter than its descriptor would make the archive unreadable: fail instead of padding it out.
        if (written != size) throw new InvalidDataException($"'{name}' had {written} bytes instead of {size}.");
        // Reading on to the end lets a verifying source check its digest.
        if (await content.ReadAsync(buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) != 0)
        {
            throw new InvalidDataException($"'{name}' had more than {size} bytes.");
        }
        await PadAsync(size, cancellationToken).ConfigureAwait(false);
    }

    public Task WriteFileAsync(string name, byte[] content, CancellationToken cancellationToken)
        => WriteFileAsync(name, new MemoryStream(content, writable: false), content.Length, cancellationToken);

    /// <summary>Ends the archive with two zero blocks.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        await output.WriteAsync(Zeros, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteParentsAsync(string name, CancellationToken cancellationToken)
    {
        for (var slash = name.IndexOf('/'); slash > 0; slash = name.IndexOf('/', slash + 1))
        {
            var directory = name[..(slash + 1)];
            if (_directories.Add(directory)) await WriteHeaderAsync(directory, (byte)'5', DirectoryMode, 0, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteHeaderAsync(string name, byte typeFlag, int mode, long size, CancellationToken cancellationToken)
    {
        // Names longer than ustar's 100 bytes (sha512 blob paths) go in a PAX record.
        if (Encoding.UTF8.GetByteCount(name) > 100)
        {
            var record = PaxRecord("path", name);
            await output.WriteAsync(Header("PaxHeader", (byte)'x', FileMode, record.Length), cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(record, cancellationToken).ConfigureAwait(false);
            await PadAsync(record.Length, cancellationToken).ConfigureAwait(false);
            name = name[^Math.Min(name.Length, 99)..];
        }
        await output.WriteAsync(Header(name, typeFlag, mode, size), cancellationToken).ConfigureAwait(false);
    }

    private byte[] Header(string name, byte typeFlag, int mode, long size)
    {
        var header = new byte[BlockSize];
        Encoding.UTF8.GetBytes(name, header.AsSpan(0, 100));
        Octal(header, 100, 8, mode);
        Octal(header, 108, 8, 0);
        Octal(header, 116, 8, 0);
        Octal(header, 124, 12, size);
        Octal(header, 136, 12, _mtime);
        header.AsSpan(148, 8).Fill((byte)' ');
        header[156] = typeFlag;
        Encoding.ASCII.GetBytes("ustar\0", header.AsSpan(257, 6));
        Encoding.ASCII.GetBytes("00", header.AsSpan(263, 2));
        var checksum = 0;
        foreach (var b in header) checksum += b;
        Octal(header, 148, 7, checksum);
        return header;
    }

    private static byte[] PaxRecord(string key, string value)
    {
        // "<length> <key>=<value>\n", where the length counts the whole record, its own digits included.
        var body = $" {key}={value}\n";
        var bodyLength = Encoding.UTF8.GetByteCount(body);
        var length = bodyLength + 1;
        while (length.ToString(CultureInfo.InvariantCulture).Length + bodyLength != length) length++;
        return Encoding.UTF8.GetBytes(length.ToString(CultureInfo.InvariantCulture) + body);
    }

    private static void Octal(byte[] header, int offset, int length, long value)
        => Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(length - 1, '0'), header.AsSpan(offset, length - 1));

    private ValueTask PadAsync(long size, CancellationToken cancellationToken)
    {
        var remainder = (int)(size % BlockSize);
        return remainder == 0 ? ValueTask.CompletedTask : output.WriteAsync(Zeros.AsMemory(0, BlockSize - remainder), cancellationToken);
    }
}
