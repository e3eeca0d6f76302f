using Containers.Oci.Packages;
using CsCheck;

namespace Containers.Oci.Tests.Packages;

/// <summary>Debian version ordering as deb-version(7) and dpkg --compare-versions define it.</summary>
public sealed class DebianVersionTests
{
    [Theory]
    [InlineData("1.0", "1.0", 0)]
    [InlineData("1.0", "1.1", -1)]
    [InlineData("1.10", "1.9", 1)]                    // digits compare as numbers
    [InlineData("1.0~rc1", "1.0", -1)]                // '~' sorts before the end
    [InlineData("1.0~rc1", "1.0~rc2", -1)]
    [InlineData("1.0~~", "1.0~", -1)]
    [InlineData("1.0a", "1.0", 1)]
    [InlineData("1.0a", "1.0+", -1)]                  // letters before other characters
    [InlineData("1:0.1", "9.9", 1)]                   // the epoch first
    [InlineData("0:1.0", "1.0", 0)]                   // a zero epoch is no epoch
    [InlineData("1.0-1", "1.0-2", -1)]
    [InlineData("1.0-10", "1.0-9", 1)]
    [InlineData("2.36-9+deb12u4", "2.36-9+deb12u10", -1)]
    [InlineData("72.1-3+deb12u1", "72.1-3", 1)]
    [InlineData("1.0-1", "1.0", 1)]                   // a revision after none
    [InlineData("1.2-3-4", "1.2-3-5", -1)]            // the last '-' starts the revision
    [InlineData("007", "7", 0)]                       // leading zeros do not count
    public void Compare_OrdersAsDpkg(string a, string b, int expected)
        => Assert.Equal(expected, Math.Sign(DebianVersion.Parse(a).CompareTo(DebianVersion.Parse(b))));

    [Theory]
    [InlineData("1:2.3-4", 1, "2.3", "4")]
    [InlineData("2.3", 0, "2.3", "")]
    [InlineData("1.2-3-4", 0, "1.2-3", "4")]
    public void Parse_SplitsEpochUpstreamAndRevision(string text, long epoch, string upstream, string revision)
    {
        var version = DebianVersion.Parse(text);
        Assert.Equal((epoch, upstream, revision), (version.Epoch, version.Upstream, version.Revision));
        Assert.Equal(text, version.ToString());
    }

    private static readonly Gen<string> Part = Gen.String[Gen.Char["0123456789abz.+~"], 1, 6];
    private static readonly Gen<DebianVersion> Version = Gen.Select(Gen.Long[0, 2], Gen.Char["0123456789"].Select(c => c.ToString()), Part, Gen.OneOf(Gen.Const(""), Part))
        .Select((epoch, first, rest, revision) => new DebianVersion(epoch, first + rest, revision));

    [Fact]
    public void Compare_IsAntisymmetric()
        => Gen.Select(Version, Version).Sample((a, b) => Math.Sign(a.CompareTo(b)) == -Math.Sign(b.CompareTo(a)));

    [Fact]
    public void Compare_IsTransitive()
        => Gen.Select(Version, Version, Version).Sample((a, b, c) => !(a <= b && b <= c) || a <= c);

    [Fact]
    public void Compare_SeesAVersionEqualToItself_AndToItsPrintedForm()
        => Version.Sample(v => v.CompareTo(v) == 0 && DebianVersion.Parse(v.ToString()).CompareTo(v) == 0);

    [Fact]
    public void ATilde_SortsBeforeAnythingThatFollowsTheSamePrefix()
        => Gen.Select(Version, Part).Sample((v, suffix) => (v with { Upstream = v.Upstream + "~" + suffix }) < (v with { Upstream = v.Upstream }));

    [Fact]
    public void AppendingToTheRevision_NeverSortsLower_WithoutATilde()
        => Gen.Select(Version, Part).Sample((v, suffix) => suffix.Contains('~') || (v with { Revision = v.Revision + suffix }) >= v);
}
