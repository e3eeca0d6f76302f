using System.Globalization;

namespace Containers.Oci.Content;

/// <summary>Sizes as people write and read them: <c>500MB</c>, <c>2GB</c>, <c>1.5 GiB</c>; printed as <c>38.2 MB</c>.</summary>
public static class ByteSize
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("TIB", 1L << 40), ("GIB", 1L << 30), ("MIB", 1L << 20), ("KIB", 1L << 10),
        ("TB", 1L << 40), ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10),
        ("T", 1L << 40), ("G", 1L << 30), ("M", 1L << 20), ("K", 1L << 10),
        ("B", 1),
    ];

    /// <summary>Powers of 1024 whatever the suffix says, as disk tools print them; a bare number is bytes.</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var value = text.Trim().ToUpperInvariant();
        long factor = 1;
        foreach (var (suffix, unit) in Units)
        {
            if (!value.EndsWith(suffix, StringComparison.Ordinal)) continue;
            value = value[..^suffix.Length].TrimEnd();
            factor = unit;
            break;
        }
        if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number < 0) return false;
        var result = number * factor;
        if (result > long.MaxValue) return false;
        bytes = (long)result;
        return true;
    }

    public static string Format(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.##} GB"),
    };
}
