namespace Containers.Oci.Packages;

/// <summary>
/// Reads a Packages index (tens of thousands of paragraphs, 50 MB for Debian's main) keeping only the fields
/// resolution and download need, line by line without splitting the text; descriptions and the rest are skipped.
/// </summary>
internal static class PackageIndexReader
{
    private static readonly HashSet<string> Wanted = new(StringComparer.OrdinalIgnoreCase)
    {
        "Package", "Version", "Architecture", "Multi-Arch", "Depends", "Pre-Depends", "Provides", "Conflicts", "Breaks",
        "Filename", "SHA256", "Size", "Priority", "Essential",
    };

    public static List<AvailablePackage> Parse(string text, AptSource source)
    {
        var packages = new List<AvailablePackage>();
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var span = text.AsSpan();
        while (true)
        {
            var newline = span.IndexOf('\n');
            var line = (newline < 0 ? span : span[..newline]).TrimEnd('\r');
            if (line.IsWhiteSpace())
            {
                if (fields.Count > 0 && AvailablePackage.From(fields, source) is { } package) packages.Add(package);
                fields.Clear();
            }
            else if (line[0] is not (' ' or '\t' or '#'))
            {
                var colon = line.IndexOf(':');
                if (colon > 0)
                {
                    var name = line[..colon].Trim();
                    // Looked up without allocating: most fields (Description, Homepage, MD5sum...) are not wanted.
                    if (Wanted.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var known)) fields[known] = line[(colon + 1)..].Trim().ToString();
                }
            }
            if (newline < 0) break;
            span = span[(newline + 1)..];
        }
        if (fields.Count > 0 && AvailablePackage.From(fields, source) is { } last) packages.Add(last);
        return packages;
    }
}
