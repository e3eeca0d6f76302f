using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Containers.Oci.Layers;

/// <summary>
/// Remembers the SHA-256 of files between builds, by path, size, last-write time and creation time, so an unchanged
/// publish folder is not read again to find that it is unchanged. This is the rule MSBuild's own incremental copy
/// relies on (size and time), made stricter by the creation time (a replaced file is a new file) and by not trusting
/// recent files: a file changed in the last <see cref="RacyWindow"/> before it was hashed could change again within the
/// file system's time resolution without its time changing, so its hash is not remembered (git's "racily clean" rule).
/// <para>
/// One tab-separated text file; unreadable or foreign content is ignored (everything is hashed again). Saving keeps
/// only the files of this build and replaces the file atomically.
/// </para>
/// </summary>
public sealed class FileDigestMemo
{
    private const string FormatLine = "containers-file-digests/1";
    internal static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private readonly string? _path;
    private readonly Dictionary<string, Entry> _previous;
    private readonly ConcurrentDictionary<string, Entry> _current = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private int _hashed;

    private FileDigestMemo(string? path, Dictionary<string, Entry> previous, TimeProvider time)
    {
        _path = path;
        _previous = previous;
        _time = time;
    }

    /// <summary>A memo that remembers nothing: every file is read.</summary>
    public static FileDigestMemo None => new(null, new(StringComparer.Ordinal), TimeProvider.System);

    /// <summary>Files read (not answered from the memo) so far.</summary>
    public int Hashed => _hashed;

    public static FileDigestMemo Load(string path, TimeProvider? time = null)
    {
        var previous = new Dictionary<string, Entry>(StringComparer.Ordinal);
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8);
            if (reader.ReadLine() == FormatLine)
            {
                while (reader.ReadLine() is { } line)
                {
                    if (Entry.TryParse(line, out var entry)) previous[entry.Path] = entry;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            previous.Clear();   // no memo (the first build) or an unreadable one: hash everything
        }
        return new FileDigestMemo(path, previous, time ?? TimeProvider.System);
    }

    /// <summary>The file's size and lower-case hex SHA-256: remembered when its size and times are as they were, else read.</summary>
    public (long Size, string Sha256) Get(string path)
    {
        path = Path.GetFullPath(path);
        var info = new FileInfo(path);
        var stamp = new Stamp(info.Length, info.LastWriteTimeUtc.Ticks, info.CreationTimeUtc.Ticks);
        if (_path is not null && (_previous.TryGetValue(path, out var known) || _current.TryGetValue(path, out known)) && known.Stamp == stamp)
        {
            _current[path] = known;
            return (known.Stamp.Size, known.Sha256);
        }

        var now = _time.GetUtcNow().UtcTicks;
        string sha256;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan))
        {
            sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        Interlocked.Increment(ref _hashed);
        // Read again after hashing: a file written while it was read must not be remembered with a stale hash.
        var after = new FileInfo(path);
        var settled = new Stamp(after.Length, after.LastWriteTimeUtc.Ticks, after.CreationTimeUtc.Ticks) == stamp
                      && now - Math.Max(stamp.WriteTicks, stamp.CreationTicks) > RacyWindow.Ticks;
        if (settled) _current[path] = new Entry(path, stamp, sha256);
        return (stamp.Size, sha256);
    }

    /// <summary>Writes the files seen in this build (and only those); a failure to write only costs the next build time.</summary>
    public void Save()
    {
        if (_path is null) return;
        var temp = $"{_path}.tmp-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            using (var writer = new StreamWriter(temp, append: false, new UTF8Encoding(false)))
            {
                writer.Write(FormatLine + "\n");
                // A name with a line break cannot be written on one line: such a file is simply read every time.
                foreach (var entry in _current.Values.Where(e => e.Path.IndexOfAny(['\n', '\r']) < 0).OrderBy(e => e.Path, StringComparer.Ordinal))
                {
                    writer.Write(entry.Format() + "\n");
                }
            }
            File.Move(temp, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private readonly record struct Stamp(long Size, long WriteTicks, long CreationTicks);

    // A class, not a struct: dictionaries of it then share the framework's precompiled code instead of being compiled at run time.
    private sealed record Entry(string Path, Stamp Stamp, string Sha256)
    {
        public string Format() => string.Join('\t', Sha256, Stamp.Size.ToString(CultureInfo.InvariantCulture),
            Stamp.WriteTicks.ToString(CultureInfo.InvariantCulture), Stamp.CreationTicks.ToString(CultureInfo.InvariantCulture), Path);

        public static bool TryParse(string line, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Entry? entry)
        {
            entry = null;
            var parts = line.Split('\t', 5);
            if (parts.Length != 5 || parts[0].Length != 64 || !parts[0].All(char.IsAsciiHexDigitLower)) return false;
            if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                || !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var write)
                || !long.TryParse(parts[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var creation)
                || parts[4].Length == 0)
            {
                return false;
            }
            entry = new Entry(parts[4], new Stamp(size, write, creation), parts[0]);
            return true;
        }
    }
}
