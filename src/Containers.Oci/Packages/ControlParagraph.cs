namespace Containers.Oci.Packages;

/// <summary>
/// One paragraph of a Debian control file (deb822: a Packages index, a dpkg status file, a Release file, a .sources
/// file): fields in their order, names compared without case, continuation lines kept. <see cref="Text"/> is the
/// paragraph exactly as read, so a status file can be rewritten with its old entries byte for byte.
/// </summary>
public sealed class ControlParagraph
{
    private readonly Dictionary<string, string> _fields;

    private ControlParagraph(Dictionary<string, string> fields, string text)
    {
        _fields = fields;
        Text = text;
    }

    public string Text { get; }

    public string? this[string name] => _fields.GetValueOrDefault(name);

    public IEnumerable<string> Names => _fields.Keys;

    /// <summary>Every paragraph of <paramref name="text"/>; '#' comment lines (allowed in .sources files) are skipped.</summary>
    public static IReadOnlyList<ControlParagraph> ParseAll(string text)
    {
        var paragraphs = new List<ControlParagraph>();
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var raw = new System.Text.StringBuilder();
        string? current = null;
        void Flush()
        {
            if (fields.Count > 0) paragraphs.Add(new ControlParagraph(fields, raw.ToString()));
            fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            raw.Clear();
            current = null;
        }
        foreach (var line in text.Split('\n'))
        {
            var trimmedEnd = line.TrimEnd('\r');
            if (trimmedEnd.Trim().Length == 0) { Flush(); continue; }
            if (trimmedEnd.StartsWith('#')) continue;
            raw.Append(trimmedEnd).Append('\n');
            if (trimmedEnd[0] is ' ' or '\t')
            {
                if (current is not null) fields[current] += "\n" + trimmedEnd.Trim();
                continue;
            }
            var colon = trimmedEnd.IndexOf(':');
            if (colon <= 0) continue;
            current = trimmedEnd[..colon].Trim();
            fields[current] = trimmedEnd[(colon + 1)..].Trim();
        }
        Flush();
        return paragraphs;
    }
}
