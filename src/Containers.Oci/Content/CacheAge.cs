using System.Globalization;

namespace Containers.Oci.Content;

/// <summary>Ages for pruning, as people write them: <c>30d</c>, <c>12h</c>, <c>90m</c>, <c>45s</c>, or a TimeSpan such as <c>7.00:00:00</c>.</summary>
public static class CacheAge
{
    public static bool TryParse(string? text, out TimeSpan age)
    {
        age = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var value = text.Trim().ToLowerInvariant();
        var unit = value[^1] switch { 'd' => TimeSpan.FromDays(1), 'h' => TimeSpan.FromHours(1), 'm' => TimeSpan.FromMinutes(1), 's' => TimeSpan.FromSeconds(1), _ => (TimeSpan?)null };
        if (unit is { } u)
        {
            if (!double.TryParse(value[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var count) || count < 0) return false;
            age = u * count;
            return true;
        }
        return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out age) && age >= TimeSpan.Zero;
    }
}
