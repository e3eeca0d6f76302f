using System.Formats.Tar;
using System.Text;
using Containers.Oci.Errors;
using Containers.Oci.Layers;
using Containers.Oci.Tests.Support;
using CsCheck;

namespace Containers.Oci.Tests.Layers;

/// <summary>
/// Property tests (CsCheck) of the one rule for tar entry names and of the tar writer behind it: any path a user or a
/// folder can give becomes a name every tar reader reads back as written, or a coded error, never another exception;
/// and any set of valid entries gives the same bytes every time, sorted, with every parent folder explicit. Fixed
/// seeds, so every run checks the same cases.
/// </summary>
public sealed class TarPathPropertyTests : IDisposable
{
    private const int Cases = 1500;
    private static readonly DateTimeOffset Timestamp = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    // Separators, dots, what the rule refuses (\, NUL, lone surrogates), spaces, and characters of 1 to 4 UTF-8 bytes.
    private const string PathChars = "ab/./.\\ \0\t\nZ-_é€\uD83D\uDE00\uD800\uDC00\uFFFD~";

    private static readonly Gen<string> Part = Gen.OneOf(
        Gen.Const(""), Gen.Const("."), Gen.Const(".."), Gen.Const("..."),
        Gen.String[Gen.Char[PathChars], 1, 12],
        Gen.String[Gen.Char["abcdefghij"], 1, 120]);

    // Joined parts give every mix of '/', '//', '.', '..' and long names (over ustar's 100 and 155 bytes); a few raw strings too.
    private static readonly Gen<string> AnyPath = Gen.OneOf(
        Gen.Select(Part.Array[0, 8], Gen.Bool, (parts, rooted) => (rooted ? "/" : "") + string.Join('/', parts)),
        Gen.String[Gen.Char[PathChars], 0, 40],
        Gen.String);

    // Names the rule accepts: non-empty parts of letters, spaces, dots and multi-byte characters, none '.' or '..'.
    private static readonly Gen<string> ValidPart = Gen.OneOf(
        Gen.String[Gen.Char["abcxyz019 .-_é€"], 1, 10].Where(p => p is not "." and not ".."),
        Gen.String[Gen.Char["mn"], 90, 160],
        Gen.Const("😀"));
    private static readonly Gen<string> ValidName = ValidPart.Array[1, 4].Select(parts => string.Join('/', parts));

    private readonly TempDirectory _temp = new();
    private readonly string _content;

    public TarPathPropertyTests() => _content = _temp.WriteFile("content.txt", "seven b");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Any_entry_name_is_refused_with_a_coded_error_or_written_and_read_back_as_the_same_name()
    {
        foreach (var name in Sample(AnyPath, seed: 1))
        {
            LayerEntry entry;
            try
            {
                entry = LayerEntry.File(name, _content, LayerEntry.FileMode);
            }
            catch (ContainerException e)
            {
                Assert.Equal(ErrorCatalogue.InvalidImagePath.Code, e.Code);
                continue;
            }
            AssertValidEntryName(name);
            var tar = await WriteAsync([entry, LayerEntry.Directory(name), LayerEntry.Symlink(name, name)]);
            if (!TarReaderReadsBack(name)) continue;
            var read = await ReadBackAsync(tar);
            Assert.Equal([name, name + "/", name], read.Select(e => e.Name));
            Assert.Equal([TarEntryType.RegularFile, TarEntryType.Directory, TarEntryType.SymbolicLink], read.Select(e => e.EntryType));
            Assert.Equal(name, read[2].LinkName);
        }
    }

    [Fact]
    public async Task Any_image_path_normalizes_to_a_valid_name_or_a_coded_error_and_a_plan_of_it_reads_back()
    {
        foreach (var path in Sample(AnyPath, seed: 2))
        {
            string normalized;
            LayerPlan plan;
            try
            {
                normalized = ImagePath.Normalize(path);
                plan = new LayerPlanBuilder(uid: 1654, gid: 1654).AddFile(_content, path).Build("one file");
            }
            catch (ContainerException e)
            {
                Assert.Equal(ErrorCatalogue.InvalidImagePath.Code, e.Code);
                continue;
            }
            AssertValidEntryName(normalized);
            Assert.Equal(normalized, ImagePath.Normalize("/" + normalized));
            Assert.Equal(normalized, plan.Entries[^1].Path);
            var tar = await WriteAsync(plan.Entries);
            if (!TarReaderReadsBack(normalized)) continue;
            var read = await ReadBackAsync(tar);
            Assert.Equal(plan.Entries.Select(NameInTar), read.Select(e => e.Name));
        }
    }

    [Fact]
    public async Task Any_file_name_in_a_walked_folder_is_refused_with_a_coded_error_or_read_back_below_the_target()
    {
        // Linux file names are any bytes but '/' and NUL; these are names .NET can create (no lone surrogates: it would write U+FFFD).
        var fileName = Gen.Select(Gen.String[Gen.Char["ab .\\\t\né€\uFFFD"], 1, 30], Gen.Bool, (n, emoji) => emoji ? n + "😀" : n)
            .Where(n => n is not "." and not "..");
        var index = 0;
        foreach (var name in Sample(fileName, seed: 3, cases: 300))
        {
            var folder = _temp.Combine($"walk-{index++}");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, name), "x");
            LayerPlan plan;
            try
            {
                plan = new LayerPlanBuilder().AddDirectory(folder, "/app/").Build("walked");
            }
            catch (ContainerException e)
            {
                Assert.Equal(ErrorCatalogue.LayerSourceNameInvalid.Code, e.Code);
                Assert.Contains('\\', name);
                continue;
            }
            Assert.Equal(["app", "app/" + name], plan.Entries.Select(e => e.Path));
            var read = await ReadBackAsync(plan.Entries);
            Assert.Equal(["app/", "app/" + name], read.Select(e => e.Name));
        }
    }

    [Fact]
    public async Task Any_set_of_valid_entries_gives_the_same_bytes_twice_sorted_with_explicit_parents()
    {
        var kind = Gen.Int[0, 2].Select(k => (LayerEntryKind)k);
        var source = Gen.Select(ValidName, kind, ValidName, (name, k, target) => (name, k, target));
        foreach (var generated in Sample(source.Array[1, 12], seed: 4, cases: 200))
        {
            // As in a real folder: nothing is both a file (or link) and the folder of another.
            var sources = generated.Where(s => !generated.Any(o => o.name.StartsWith(s.name + "/", StringComparison.Ordinal))).ToList();
            var builder = new LayerPlanBuilder(uid: 1000, gid: 1000);
            var layerSources = sources.Select(s => new LayerSource(_content, s.name, s.k == LayerEntryKind.Symlink ? LayerEntryKind.Symlink : LayerEntryKind.File,
                s.k == LayerEntryKind.Symlink ? s.target : null, 0b110_100_100));
            var plan = builder.AddSources(layerSources, "/srv/app").Build("any");

            var first = await WriteAsync(plan.Entries);
            var second = await WriteAsync(plan.Entries);
            Assert.Equal(first, second);

            var read = await ReadBackAsync(first);
            var names = read.Select(e => e.Name.TrimEnd('/')).ToList();
            Assert.Equal(names.Order(StringComparer.Ordinal), names);
            Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(plan.Entries.Select(e => e.Path), names);
            for (var i = 0; i < names.Count; i++)
            {
                var slash = names[i].LastIndexOf('/');
                if (slash < 0) continue;
                var parent = names[i][..slash];
                Assert.Contains(read.Take(i), e => e.Name == parent + "/" && e.EntryType == TarEntryType.Directory);
            }
            // Every added file or link is in the tar.
            foreach (var (name, _, _) in sources)
            {
                Assert.Contains("srv/app/" + name, names);
            }
        }
    }

    private static void AssertValidEntryName(string name)
    {
        Assert.NotEmpty(name);
        Assert.False(name.StartsWith('/'), name);
        Assert.DoesNotContain('\\', name);
        Assert.DoesNotContain('\0', name);
        Assert.All(name.Split('/'), part => Assert.True(part is not ("" or "." or ".."), name));
        // Strictly representable in UTF-8: encoding and decoding gives the very same string.
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        Assert.Equal(name, strict.GetString(strict.GetBytes(name)));
    }

    /// <summary>
    /// False for a name over 100 bytes with a newline: it goes into a PAX record, which .NET's TarReader cuts at the
    /// first newline instead of reading by the record's length. GNU tar reads it (DeterministicTarWriterTests).
    /// </summary>
    private static bool TarReaderReadsBack(string name) => !name.Contains('\n') || Encoding.UTF8.GetByteCount(name) < 100;

    private static string NameInTar(LayerEntry entry) => entry.Kind == LayerEntryKind.Directory ? entry.Path + "/" : entry.Path;

    private static async Task<byte[]> WriteAsync(IEnumerable<LayerEntry> entries)
    {
        using var output = new MemoryStream();
        var writer = new DeterministicTarWriter(output, Timestamp);
        foreach (var entry in entries) await writer.WriteEntryAsync(entry, CancellationToken.None);
        await writer.FinishAsync(CancellationToken.None);
        return output.ToArray();
    }

    private static async Task<List<TarEntry>> ReadBackAsync(IEnumerable<LayerEntry> entries) => await ReadBackAsync(await WriteAsync(entries));

    private static async Task<List<TarEntry>> ReadBackAsync(byte[] tar)
    {
        using var reader = new TarReader(new MemoryStream(tar));
        var entries = new List<TarEntry>();
        while (await reader.GetNextEntryAsync() is { } entry) entries.Add(entry);
        return entries;
    }

    private static IEnumerable<T> Sample<T>(Gen<T> gen, int seed, int cases = Cases)
    {
        var random = new PCG(1, (ulong)seed);
        for (var i = 0; i < cases; i++) yield return gen.Generate(random, null, out _);
    }
}
