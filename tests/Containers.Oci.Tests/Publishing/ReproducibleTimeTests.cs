using Containers.Oci.Errors;
using Containers.Oci.Publishing;

namespace Containers.Oci.Tests.Publishing;

public class ReproducibleTimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    private static DateTimeOffset Clock() => Now;

    private static DateTimeOffset Resolve(string? explicitValue, string? sourceDateEpoch = null)
        => ReproducibleTime.Resolve(explicitValue, sourceDateEpoch, Clock);

    [Fact]
    public void NothingSet_IsTheUnixEpoch()
    {
        Assert.Equal(DateTimeOffset.UnixEpoch, Resolve(null));
        Assert.Equal(DateTimeOffset.UnixEpoch, Resolve(" ", ""));
    }

    [Fact]
    public void NothingSet_NeverAsksTheClock()
        => Assert.Equal(DateTimeOffset.UnixEpoch, ReproducibleTime.Resolve(null, null, () => throw new InvalidOperationException("clock read")));

    [Theory]
    [InlineData("2024-01-02T03:04:05Z", "2024-01-02T03:04:05+00:00")]
    [InlineData("2024-01-02T05:04:05.999+02:00", "2024-01-02T03:04:05+00:00")]
    [InlineData("2024-01-02 03:04:05", "2024-01-02T03:04:05+00:00")]
    [InlineData("2024-01-02", "2024-01-02T00:00:00+00:00")]
    public void AnExplicitIsoDate_IsUtcInWholeSeconds(string value, string expected)
    {
        var time = Resolve(value);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), time);
        Assert.Equal(TimeSpan.Zero, time.Offset);
    }

    [Fact]
    public void ExplicitSeconds_AreSecondsSinceTheEpoch()
        => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), Resolve("1700000000"));

    [Theory]
    [InlineData("now")]
    [InlineData(" NOW ")]
    public void Now_ReadsTheInjectedClock_TruncatedToSeconds(string value)
        => Assert.Equal(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero), Resolve(value, "1"));

    [Fact]
    public void SourceDateEpoch_IsUsed_WhenNothingExplicitIs()
        => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_600_000_000), Resolve(null, " 1600000000 "));

    [Fact]
    public void AnExplicitValue_WinsOverSourceDateEpoch()
        => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), Resolve("1700000000", "1600000000"));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2024-13-45")]
    [InlineData("-5")]
    public void AnInvalidExplicitValue_IsError5007(string value)
    {
        var error = Assert.Throws<ContainerException>(() => Resolve(value));

        Assert.Equal("CONTAINER5007", error.Code);
        Assert.Contains(value, error.Message);
    }

    // FromUnixTimeSeconds throws ArgumentOutOfRangeException past year 9999: an unhandled exception where a coded error belongs.
    [Fact]
    public void ExplicitSecondsBeyondYear9999_IsError5007()
        => Assert.Equal("CONTAINER5007", Assert.Throws<ContainerException>(() => Resolve("99999999999999")).Code);

    [Theory]
    [InlineData("not-a-number")]
    [InlineData("-1")]
    [InlineData("99999999999999")]
    public void MalformedSourceDateEpoch_IsError5010_NotSilentlyIgnored(string value)
        => Assert.Equal("CONTAINER5010", Assert.Throws<ContainerException>(() => Resolve(null, value)).Code);
}
