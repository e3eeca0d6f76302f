using System.Globalization;

namespace Containers.Oci.Publishing;

/// <summary>
/// The one time written into an image (its created time, history and every tar header), so that the same inputs give
/// the same digest. In order: an explicit value (a date, seconds, or <c>now</c>); SOURCE_DATE_EPOCH; the commit time
/// of the project's git HEAD; the Unix epoch.
/// </summary>
public static class ReproducibleTime
{
    /// <summary>The last second of year 9999, the latest time <see cref="DateTimeOffset"/> holds.</summary>
    private const long MaxSeconds = 253402300799;

    public static DateTimeOffset Resolve(string? explicitValue, string? sourceDateEpoch, Func<DateTimeOffset> now, Func<DateTimeOffset?>? commitTime = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitValue))
        {
            if (explicitValue.Trim().Equals("now", StringComparison.OrdinalIgnoreCase)) return Truncate(now());
            if (long.TryParse(explicitValue, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return seconds <= MaxSeconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : throw Errors.ErrorCatalogue.InvalidImageCreated.ToException(explicitValue);
            }
            if (DateTimeOffset.TryParse(explicitValue, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return Truncate(parsed.ToUniversalTime());
            throw Errors.ErrorCatalogue.InvalidImageCreated.ToException(explicitValue);
        }
        if (!string.IsNullOrWhiteSpace(sourceDateEpoch))
        {
            // The reproducible-builds spec asks builds to fail on a malformed SOURCE_DATE_EPOCH rather than guess.
            if (long.TryParse(sourceDateEpoch.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) && epoch <= MaxSeconds)
            {
                return DateTimeOffset.FromUnixTimeSeconds(epoch);
            }
            throw Errors.ErrorCatalogue.InvalidSourceDateEpoch.ToException(sourceDateEpoch);
        }
        return commitTime?.Invoke() ?? DateTimeOffset.UnixEpoch;
    }

    private static DateTimeOffset Truncate(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());
}
