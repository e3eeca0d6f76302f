namespace Containers.Oci.SupplyChain;

/// <summary>
/// dpkg's database format (deb822 paragraphs of <c>Field: value</c>, continuation lines indented), as in
/// <c>/var/lib/dpkg/status</c> and in distroless images' one-file-per-package <c>/var/lib/dpkg/status.d/</c>.
/// </summary>
public static class DpkgStatus
{
    /// <summary>The installed packages a file records. A paragraph whose Status says it is not installed is left out.</summary>
    public static IReadOnlyList<OsPackage> Parse(string text)
    {
        var packages = new List<OsPackage>();
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                Add(fields, packages);
                fields.Clear();
                last = null;
            }
            else if (line[0] is ' ' or '\t')
            {
                // A continuation (a description's body, a conffile list) belongs to the field above and names nothing we need.
                if (last is null) continue;
            }
            else if (line.IndexOf(':') is var colon and > 0)
            {
                last = line[..colon];
                fields[last] = line[(colon + 1)..].Trim();
            }
        }
        Add(fields, packages);
        return packages;
    }

    private static void Add(Dictionary<string, string> fields, List<OsPackage> packages)
    {
        if (!fields.TryGetValue("Package", out var name) || !fields.TryGetValue("Version", out var version)) return;
        // status.d records may have no Status field: being there is being installed.
        if (fields.TryGetValue("Status", out var status) && !status.EndsWith(" installed", StringComparison.Ordinal)) return;
        var source = fields.GetValueOrDefault("Source");
        // "Source: glibc (2.36-9)" names the source package and, when it differs, its version.
        if (source is not null && source.IndexOf(' ') is var space and > 0) source = source[..space];
        packages.Add(new OsPackage(name, version, fields.GetValueOrDefault("Architecture"), source));
    }

    /// <summary>The ID and VERSION_ID of an os-release file.</summary>
    public static (string? Id, string? Version) ParseOsRelease(string text)
    {
        string? id = null, version = null;
        foreach (var line in text.Split('\n'))
        {
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var value = line[(eq + 1)..].Trim().Trim('"', '\'');
            switch (line[..eq].Trim())
            {
                case "ID": id = value; break;
                case "VERSION_ID": version = value; break;
            }
        }
        return (id, version);
    }
}
