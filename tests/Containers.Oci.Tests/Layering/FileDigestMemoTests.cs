using System.Security.Cryptography;
using System.Text;
using Containers.Oci.Layers;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Layering;

/// <summary>
/// The file digest memo: unchanged files are answered without reading them, changed or recent ones are read, and a
/// damaged memo only costs time.
/// </summary>
public sealed class FileDigestMemoTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    // Builds run "an hour later" than the files were written, unless a test says otherwise: they are settled.
    private static readonly FixedTime Later = new(DateTimeOffset.UtcNow.AddHours(1));

    public void Dispose() => _temp.Dispose();

    private string MemoPath => _temp.Combine("memo", "file-digests.tsv");

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void An_unchanged_file_is_answered_from_the_memo_without_being_read()
    {
        var file = _temp.WriteFile("app/a.dll", "assembly one");
        var first = FileDigestMemo.Load(MemoPath, Later);
        Assert.Equal((12L, Sha256("assembly one")), first.Get(file));
        first.Save();

        var second = FileDigestMemo.Load(MemoPath, Later);
        var answer = second.Get(file);

        Assert.Equal((12L, Sha256("assembly one")), answer);
        Assert.Equal(1, first.Hashed);
        Assert.Equal(0, second.Hashed);
    }

    [Fact]
    public void A_file_whose_content_and_time_changed_is_read_again_even_at_the_same_size()
    {
        var file = _temp.WriteFile("app/a.dll", "assembly one");
        File.SetLastWriteTimeUtc(file, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var first = FileDigestMemo.Load(MemoPath, Later);
        first.Get(file);
        first.Save();

        File.WriteAllText(file, "assembly two");   // same length, new time
        var second = FileDigestMemo.Load(MemoPath, Later);

        Assert.Equal((12L, Sha256("assembly two")), second.Get(file));
        Assert.Equal(1, second.Hashed);
    }

    [Fact]
    public void A_file_written_moments_before_it_was_hashed_is_not_remembered()
    {
        var file = _temp.WriteFile("app/a.dll", "fresh");
        var now = new FixedTime(DateTimeOffset.UtcNow.AddSeconds(1));   // within the racy window of the file's times
        var first = FileDigestMemo.Load(MemoPath, now);
        first.Get(file);
        first.Save();

        var second = FileDigestMemo.Load(MemoPath, Later);
        second.Get(file);

        Assert.Equal(1, second.Hashed);
    }

    [Fact]
    public void Saving_keeps_only_the_files_of_this_build()
    {
        var kept = _temp.WriteFile("app/kept.dll", "kept");
        var dropped = _temp.WriteFile("app/dropped.dll", "dropped");
        var first = FileDigestMemo.Load(MemoPath, Later);
        first.Get(kept);
        first.Get(dropped);
        first.Save();

        var second = FileDigestMemo.Load(MemoPath, Later);
        second.Get(kept);
        second.Save();

        var lines = File.ReadAllLines(MemoPath);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith("\t" + kept, lines[1]);
        Assert.Empty(Directory.GetFiles(_temp.Combine("memo"), "*.tmp-*"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a memo\nat all")]
    [InlineData("containers-file-digests/1\nZZZ\t12\t1\t1\t/x\nabc\n")]
    public void A_damaged_or_foreign_memo_is_ignored_and_every_file_read(string content)
    {
        var file = _temp.WriteFile("app/a.dll", "assembly one");
        Directory.CreateDirectory(_temp.Combine("memo"));
        File.WriteAllText(MemoPath, content);

        var memo = FileDigestMemo.Load(MemoPath, Later);

        Assert.Equal((12L, Sha256("assembly one")), memo.Get(file));
        Assert.Equal(1, memo.Hashed);
    }

    [Fact]
    public void The_none_memo_reads_every_time_and_saves_nothing()
    {
        var file = _temp.WriteFile("app/a.dll", "x");

        FileDigestMemo.None.Get(file);
        var none = FileDigestMemo.None;
        none.Get(file);
        none.Get(file);
        none.Save();

        Assert.Equal(2, none.Hashed);
        Assert.False(File.Exists(MemoPath));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
