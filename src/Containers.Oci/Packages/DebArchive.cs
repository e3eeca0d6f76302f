using System.Formats.Tar;
using System.Globalization;
using System.Text;
using Containers.Oci.Content;

namespace Containers.Oci.Packages;

/// <summary>
/// A .deb file (deb(5)): an <c>ar</c> archive of <c>debian-binary</c>, <c>control.tar[.gz|.xz|.zst]</c> and
/// <c>data.tar[...]</c>. Read front to back, once: the control members are kept in memory (they are small), and each
/// data entry is handed to the caller while its bytes are readable.
/// </summary>
public static class DebArchive
{
    private const int HeaderSize = 60;

    /// <summary>The control member's files by name: <c>control</c>, <c>md5sums</c>, <c>conffiles</c>, <c>postinst</c>, ...</summary>
    public sealed record Control(IReadOnlyDictionary<string, byte[]> Files)
    {
        public string Text(string name) => Files.TryGetValue(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : "";
    }

    public static async Task<Control> ReadAsync(string path, string package, Func<TarEntry, Task> visitData, CancellationToken cancellationToken)
    {
        await using var file = Content.ContentCache.OpenRead(path);
        var magic = new byte[8];
        if (await file.ReadAtLeastAsync(magic, 8, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) != 8 || Encoding.ASCII.GetString(magic) != "!<arch>\n")
        {
            throw Invalid(package, "it is not an ar archive");
        }
        Control? control = null;
        var sawData = false;
        var header = new byte[HeaderSize];
        while (await file.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) == HeaderSize)
        {
            var name = Encoding.ASCII.GetString(header, 0, 16).Trim().TrimEnd('/');
            if (!long.TryParse(Encoding.ASCII.GetString(header, 48, 10).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                throw Invalid(package, $"the member '{name}' has no valid size");
            }
            var member = new BoundedStream(file, size);
            if (name.StartsWith("control.tar", StringComparison.Ordinal)) control = await ReadControlAsync(member, cancellationToken).ConfigureAwait(false);
            else if (name.StartsWith("data.tar", StringComparison.Ordinal))
            {
                await ReadTarAsync(member, visitData, cancellationToken).ConfigureAwait(false);
                sawData = true;
            }
            await member.SkipRestAsync(cancellationToken).ConfigureAwait(false);
            if (size % 2 == 1) await member.SkipPaddingAsync(cancellationToken).ConfigureAwait(false);   // ar pads members to an even size
        }
        if (control is null || !sawData) throw Invalid(package, "it has no control.tar or no data.tar member");
        return control;
    }

    private static async Task<Control> ReadControlAsync(Stream member, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await ReadTarAsync(member, async entry =>
        {
            if (entry.DataStream is null || entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) return;
            using var copy = new MemoryStream();
            await entry.DataStream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            files[BaseSystem.EntryPath(entry.Name)] = copy.ToArray();
        }, cancellationToken).ConfigureAwait(false);
        return new Control(files);
    }

    private static async Task ReadTarAsync(Stream member, Func<TarEntry, Task> visit, CancellationToken cancellationToken)
    {
        await using var tar = Decompression.Open(member);
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            await visit(entry).ConfigureAwait(false);
        }
    }

    private static Errors.ContainerException Invalid(string package, string reason) => Errors.ErrorCatalogue.PackageArchiveInvalid.ToException(package, reason);

    /// <summary>One ar member: at most <c>size</c> bytes of the archive; disposing it leaves the archive open.</summary>
    private sealed class BoundedStream(Stream inner, long size) : ReadOnlyStream
    {
        private long _left = size;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_left == 0) return 0;
            var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
            _left -= n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_left == 0) return 0;
            var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], cancellationToken).ConfigureAwait(false);
            _left -= n;
            return n;
        }

        public async Task SkipRestAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[81920];
            while (_left > 0 && await ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0) { }
        }

        public async Task SkipPaddingAsync(CancellationToken cancellationToken) => await inner.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false);
    }
}
