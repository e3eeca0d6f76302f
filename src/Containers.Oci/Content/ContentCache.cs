using System.Collections.Concurrent;
using Containers.Oci.Diagnostics;
using Containers.Oci.Errors;
using Containers.Oci.Model;

namespace Containers.Oci.Content;

/// <summary>
/// The content-addressed store of base image blobs on this machine: <c>&lt;directory&gt;/blobs/&lt;algorithm&gt;/&lt;hex&gt;</c>.
/// A blob is written to <c>tmp/</c>, checked against its digest and size, and only then renamed to its name, so an
/// entry is always complete: two builds at once at worst both rename identical bytes into place, and a build killed
/// halfway leaves only a temporary file no reader ever opens. Entries are checked again the first time a process
/// reuses them, so a file damaged on disk is thrown away and fetched again, never used.
/// </summary>
public sealed class ContentCache : IBlobSource
{
    /// <summary>Overrides the default location; the ContainerCacheDirectory property overrides both.</summary>
    public const string DirectoryVariable = "CONTAINERS_CACHE_DIR";

    private const string FolderName = "containers-build";
    private const string TemporaryExtension = ".partial";

    /// <summary>A temporary file this old is left over by a killed build: no live writer goes that long without writing.</summary>
    internal static readonly TimeSpan StaleTemporaryAge = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _fetches = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _verified = new(StringComparer.Ordinal);
    private readonly IBuildLog _log;

    public ContentCache(string directory, IBuildLog? log = null)
    {
        Directory = Path.GetFullPath(directory);
        _log = log ?? NullBuildLog.Instance;
    }

    public string Directory { get; }

    /// <summary>Where blobs are written before they are renamed into place; on the same file system, so the rename is atomic.</summary>
    public string TemporaryDirectory => Path.Combine(Directory, "tmp");

    /// <summary>
    /// The cache folder: <paramref name="configured"/> (the ContainerCacheDirectory property) when set, else
    /// CONTAINERS_CACHE_DIR, else <c>$XDG_CACHE_HOME/containers-build</c>, else <c>~/.cache/containers-build</c>
    /// (<c>%LOCALAPPDATA%\containers-build</c> on Windows).
    /// </summary>
    public static string ResolveDirectory(string? configured = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured.Trim());
        if (environment(DirectoryVariable) is { Length: > 0 } fromVariable) return Path.GetFullPath(fromVariable);
        // The XDG spec says to ignore a relative XDG_CACHE_HOME.
        if (environment("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)) return Path.Combine(xdg, FolderName);
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), FolderName);
        }
        var home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cache", FolderName);
    }

    public string PathOf(Digest digest) => Path.Combine(Directory, "blobs", digest.Algorithm, digest.Encoded);

    /// <summary>The path of the blob when the cache holds it intact; null otherwise (a damaged entry is deleted).</summary>
    public async Task<string?> TryGetAsync(Descriptor descriptor, CancellationToken cancellationToken = default)
    {
        var digest = descriptor.ParsedDigest;
        var path = PathOf(digest);
        var file = new FileInfo(path);
        if (!file.Exists) return null;
        if (_verified.ContainsKey(descriptor.Digest)) return path;

        var intact = file.Length == descriptor.Size
            && await BlobDigests.OfFileAsync(path, digest.Algorithm, cancellationToken).ConfigureAwait(false) == digest;
        if (!intact)
        {
            _log.Detail($"{Short(descriptor)}: the cached copy does not match its digest; fetching it again");
            TryDelete(path);
            return null;
        }
        _verified[descriptor.Digest] = true;
        MarkUsed(path);
        _log.Detail($"{Short(descriptor)}: reused from the cache (digest verified)");
        return path;
    }

    /// <summary>
    /// The path of the blob, fetching it with <paramref name="fetch"/> when the cache does not hold it. Within one
    /// process each blob is fetched once, however many callers ask at the same time.
    /// </summary>
    /// <param name="source">Where the content comes from, for the log.</param>
    public async Task<string> GetOrAddAsync(Descriptor descriptor, Func<CancellationToken, Task<Stream>> fetch, string source, CancellationToken cancellationToken = default)
    {
        var fetchOnce = _fetches.GetOrAdd(descriptor.Digest, _ => new Lazy<Task<string>>(() => FetchAsync(descriptor, fetch, source, cancellationToken)));
        try
        {
            return await fetchOnce.Value.ConfigureAwait(false);
        }
        catch
        {
            // A failed or cancelled fetch is not remembered: the next caller tries again.
            _fetches.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(descriptor.Digest, fetchOnce));
            throw;
        }
    }

    /// <summary>Stores <paramref name="content"/>, which must match <paramref name="expected"/>; returns the entry's path.</summary>
    public async Task<string> AddAsync(Descriptor expected, Stream content, CancellationToken cancellationToken = default)
    {
        var (_, _, path) = await WriteAsync(content, expected, cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>Stores content whose digest is not known beforehand (a docker-archive layer); returns its sha256 digest and size.</summary>
    public async Task<(Digest Digest, long Size, string Path)> AddAsync(Stream content, CancellationToken cancellationToken = default)
        => await WriteAsync(content, expected: null, cancellationToken).ConfigureAwait(false);

    /// <summary>Opens a blob the cache holds (see <see cref="IBlobSource"/>).</summary>
    public async Task<Stream> OpenAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        var path = await TryGetAsync(descriptor, cancellationToken).ConfigureAwait(false)
            ?? throw ErrorCatalogue.BlobNotInSource.ToException(descriptor.Digest, $"the content cache at '{Directory}'");
        return OpenRead(path);
    }

    /// <summary>The blob opened when the cache holds it intact; null otherwise, also when a concurrent prune has just deleted it.</summary>
    public async Task<Stream?> TryOpenAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        if (await TryGetAsync(descriptor, cancellationToken).ConfigureAwait(false) is not { } path) return null;
        try
        {
            return OpenRead(path);
        }
        catch (FileNotFoundException)
        {
            Forget(descriptor);
            return null;
        }
    }

    internal static FileStream OpenRead(string path)
        => new(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>Forgets that an entry was verified, e.g. after it vanished under a concurrent prune.</summary>
    internal void Forget(Descriptor descriptor)
    {
        _verified.TryRemove(descriptor.Digest, out _);
        _fetches.TryRemove(descriptor.Digest, out _);
    }

    private async Task<string> FetchAsync(Descriptor descriptor, Func<CancellationToken, Task<Stream>> fetch, string source, CancellationToken cancellationToken)
    {
        if (await TryGetAsync(descriptor, cancellationToken).ConfigureAwait(false) is { } cached) return cached;
        Stream content = await fetch(cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            var path = await AddAsync(descriptor, content, cancellationToken).ConfigureAwait(false);
            _log.Detail($"{Short(descriptor)}: downloaded from {source} into the cache ({ByteSize.Format(descriptor.Size)}, digest verified)");
            return path;
        }
    }

    private async Task<(Digest, long, string)> WriteAsync(Stream content, Descriptor? expected, CancellationToken cancellationToken)
    {
        var algorithm = expected?.ParsedDigest.Algorithm ?? "sha256";
        var temp = "";
        try
        {
            FileStream file;
            try
            {
                System.IO.Directory.CreateDirectory(TemporaryDirectory);
                RemoveStaleTemporaryFiles();
                temp = Path.Combine(TemporaryDirectory, $"{expected?.ParsedDigest.Encoded ?? "blob"}.{Guid.NewGuid():N}{TemporaryExtension}");
                file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CannotWrite(e);
            }

            BlobDigests.CopyResult copied;
            try
            {
                // Reading the content may fail in its own way (a download, an archive); only writing is the cache's failure.
                copied = await BlobDigests.CopyAsync(content, file, algorithm, expected?.Size, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Closing flushes what the file still buffers, which fails again on a full disk: the first failure is the one to report.
                try { await file.DisposeAsync().ConfigureAwait(false); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
                throw;
            }
            try
            {
                await file.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BlobDigests.WriteFailedException(e);
            }
            if (expected is not null)
            {
                var source = $"the content written to the cache at '{Directory}'";
                if (copied.Size != expected.Size) throw ErrorCatalogue.DigestMismatch.ToException(expected.Digest, source, $"{copied.Size} bytes instead of {expected.Size}");
                if (copied.Digest != expected.ParsedDigest) throw ErrorCatalogue.DigestMismatch.ToException(expected.Digest, source, copied.Digest);
            }

            string path;
            try
            {
                path = Commit(temp, copied.Digest);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CannotWrite(e);
            }
            _verified[copied.Digest.ToString()] = true;
            return (copied.Digest, copied.Size, path);
        }
        catch (BlobDigests.WriteFailedException e)
        {
            TryDelete(temp);
            throw CannotWrite(e.InnerException!);
        }
        catch
        {
            if (temp.Length > 0) TryDelete(temp);
            throw;
        }
    }

    private ContainerException CannotWrite(Exception e) => ErrorCatalogue.CacheWriteFailed.ToException(e, Directory, e.Message.TrimEnd('.'));

    /// <summary>
    /// Renames a verified temporary file to its digest. Another build may have put the same bytes there first: on
    /// Unix the rename replaces it atomically; where the old file cannot be replaced (open on Windows), it is kept.
    /// </summary>
    private string Commit(string temp, Digest digest)
    {
        var path = PathOf(digest);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when ((e is IOException or UnauthorizedAccessException) && File.Exists(path))
        {
            TryDelete(temp);
        }
        return path;
    }

    private void RemoveStaleTemporaryFiles()
    {
        var cutoff = DateTime.UtcNow - StaleTemporaryAge;
        foreach (var file in new DirectoryInfo(TemporaryDirectory).EnumerateFiles())
        {
            if (file.LastWriteTimeUtc < cutoff) TryDelete(file.FullName);
        }
    }

    /// <summary>Records the use for pruning by age and size; a read-only cache still works, it just does not record.</summary>
    private static void MarkUsed(string path)
    {
        try { File.SetLastWriteTimeUtc(path, DateTime.UtcNow); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    internal static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static string Short(Descriptor descriptor) => descriptor.Digest.Length > 19 ? descriptor.Digest[..19] : descriptor.Digest;
}
