using System.Text;

namespace Containers.Oci.Layers;

/// <summary>
/// Writes a POSIX ustar archive whose bytes depend only on what is written: no user or group names, no access or
/// change times, no host details. Names longer than ustar allows get a PAX extended header, as do sizes over 8 GiB.
/// </summary>
public sealed class DeterministicTarWriter
{
    private const int BlockSize = 512;
    private static readonly byte[] Zeros = new byte[BlockSize * 2];
    private byte[]? _copyBuffer;
    private readonly Stream _output;
    private readonly long _mtime;

    public DeterministicTarWriter(Stream output, DateTimeOffset timestamp)
    {
        _output = output;
        _mtime = Math.Max(0, timestamp.ToUnixTimeSeconds());
    }

    public async Task WriteEntryAsync(LayerEntry entry, CancellationToken cancellationToken)
    {
        var name = entry.Kind == LayerEntryKind.Directory ? entry.Path + "/" : entry.Path;
        long size = 0;
        FileStream? content = null;
        if (entry.Kind == LayerEntryKind.File)
        {
            try
            {
                // No FileStream buffer: the copy below reads in blocks of its own.
                content = new FileStream(entry.SourcePath!, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw Errors.ErrorCatalogue.LayerSourceMissing.ToException(e, entry.SourcePath, "/" + entry.Path);
            }
            size = content.Length;
        }
        await using (content)
        {
            var typeFlag = entry.Kind switch
            {
                LayerEntryKind.Directory => (byte)'5',
                LayerEntryKind.Symlink => (byte)'2',
                _ => (byte)'0',
            };
            await WriteHeaderAsync(name, typeFlag, entry.Mode, entry.Uid, entry.Gid, size, entry.LinkTarget ?? "", cancellationToken).ConfigureAwait(false);
            if (content is not null)
            {
                var copied = await CopyExactlyAsync(content, size, cancellationToken).ConfigureAwait(false);
                if (copied != size)
                {
                    throw new IOException($"'{entry.SourcePath}' changed size while it was being archived.");
                }
                await PadAsync(size, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Ends the archive with two zero blocks.</summary>
    public ValueTask FinishAsync(CancellationToken cancellationToken) => _output.WriteAsync(Zeros, cancellationToken);

    private async Task WriteHeaderAsync(string name, byte typeFlag, int mode, int uid, int gid, long size, string linkName, CancellationToken ct)
    {
        var (prefix, shortName) = SplitName(name);
        var needsPax = shortName is null || size > 0x1_FFFF_FFFFL || Encoding.UTF8.GetByteCount(linkName) > 100;
        if (needsPax)
        {
            var records = new StringBuilder();
            // Once there is a PAX header, it carries a name that needed a prefix too: readers differ on whether the
            // ustar prefix still counts after one (.NET's TarReader ignores it), and the PAX path wins in all of them.
            if (shortName is null || prefix.Length > 0) records.Append(PaxRecord("path", name));
            if (size > 0x1_FFFF_FFFFL) records.Append(PaxRecord("size", size.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (Encoding.UTF8.GetByteCount(linkName) > 100) records.Append(PaxRecord("linkpath", linkName));
            var paxData = Encoding.UTF8.GetBytes(records.ToString());
            var paxName = "PaxHeaders/" + Truncate(name, 80);
            await _output.WriteAsync(Header(paxName, "", (byte)'x', 0b110_100_100, 0, 0, paxData.Length, ""), ct).ConfigureAwait(false);
            await _output.WriteAsync(paxData, ct).ConfigureAwait(false);
            await PadAsync(paxData.Length, ct).ConfigureAwait(false);
            shortName ??= Truncate(name, 100);
        }
        await _output.WriteAsync(Header(shortName!, prefix, typeFlag, mode, uid, gid, Math.Min(size, 0x1_FFFF_FFFFL), Truncate(linkName, 100)), ct).ConfigureAwait(false);
    }

    private byte[] Header(string name, string prefix, byte typeFlag, int mode, int uid, int gid, long size, string linkName)
    {
        var header = new byte[BlockSize];
        WriteString(header, 0, 100, name);
        WriteOctal(header, 100, 8, mode);
        WriteOctal(header, 108, 8, uid);
        WriteOctal(header, 116, 8, gid);
        WriteOctal(header, 124, 12, size);
        WriteOctal(header, 136, 12, _mtime);
        header.AsSpan(148, 8).Fill((byte)' ');
        header[156] = typeFlag;
        WriteString(header, 157, 100, linkName);
        WriteString(header, 257, 6, "ustar");
        WriteString(header, 263, 2, "00");
        WriteString(header, 345, 155, prefix);
        var checksum = 0;
        foreach (var b in header) checksum += b;
        WriteOctal(header, 148, 7, checksum);
        return header;
    }

    /// <summary>Fits a name into ustar's 155-byte prefix and 100-byte name, split at a '/'; null name when it cannot.</summary>
    private static (string Prefix, string? Name) SplitName(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) <= 100) return ("", name);
        for (var slash = name.IndexOf('/'); slash >= 0; slash = name.IndexOf('/', slash + 1))
        {
            var prefix = name[..slash];
            var rest = name[(slash + 1)..];
            if (Encoding.UTF8.GetByteCount(prefix) <= 155 && Encoding.UTF8.GetByteCount(rest) <= 100 && rest.Length > 0) return (prefix, rest);
        }
        return ("", null);
    }

    private static string PaxRecord(string key, string value)
    {
        // Each record is "<length> <key>=<value>\n", where length counts the whole record including its own digits.
        var body = $" {key}={value}\n";
        var bodyLength = Encoding.UTF8.GetByteCount(body);
        var length = bodyLength + 1;
        while (length.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + bodyLength != length) length++;
        return length.ToString(System.Globalization.CultureInfo.InvariantCulture) + body;
    }

    private static string Truncate(string value, int maxBytes)
    {
        while (Encoding.UTF8.GetByteCount(value) > maxBytes) value = value[..^1];
        return value;
    }

    private static void WriteString(byte[] buffer, int offset, int length, string value)
        => Encoding.UTF8.GetBytes(value, buffer.AsSpan(offset, length));

    private static void WriteOctal(byte[] buffer, int offset, int length, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        Encoding.ASCII.GetBytes(text, buffer.AsSpan(offset, length - 1));
        buffer[offset + length - 1] = 0;
    }

    private async Task<long> CopyExactlyAsync(Stream source, long size, CancellationToken ct)
    {
        var buffer = _copyBuffer ??= new byte[1 << 16];   // one per writer: a layer has hundreds of files
        long total = 0;
        while (total < size)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, size - total)), ct).ConfigureAwait(false);
            if (read == 0) break;
            await _output.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            total += read;
        }
        return total;
    }

    private ValueTask PadAsync(long size, CancellationToken ct)
    {
        var remainder = (int)(size % BlockSize);
        return remainder == 0 ? ValueTask.CompletedTask : _output.WriteAsync(Zeros.AsMemory(0, BlockSize - remainder), ct);
    }
}
