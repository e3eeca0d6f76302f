using System.Globalization;

namespace Containers.Oci.Publishing;

/// <summary>
/// The one time written into an image (its created time, history and every tar header), so that the same inputs give
/// the same digest. In order: an explicit value (a date, or <c>now</c>); SOURCE_DATE_EPOCH; the Unix epoch.
/// </summary>
public static class ReproducibleTime
{
    public static DateTimeOffset Resolve(string? explicitValue, string? sourceDateEpoch, Func<DateTimeOffset> now)
    {
        if (!string.IsNullOrWhiteSpace(explicitValue))
        {
            if (explicitValue.Trim().Equals("now", StringComparison.OrdinalIgnoreCase)) return Truncate(now());
            if (long.TryParse(explicitValue, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return DateTimeOffset.FromUnixTimeSeconds(seconds);
            if (DateTimeOffset.TryParse(explicitValue, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return Truncate(parsed.ToUniversalTime());
            throw Errors.ErrorCatalogue.InvalidImageCreated.ToException(explicitValue);
        }
        if (!string.IsNullOrWhiteSpace(sourceDateEpoch)
            && long.TryParse(sourceDateEpoch.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
        {
            return DateTimeOffset.FromUnixTimeSeconds(epoch);
        }
        return DateTimeOffset.UnixEpoch;
    }

    private static DateTimeOffset Truncate(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());
}
