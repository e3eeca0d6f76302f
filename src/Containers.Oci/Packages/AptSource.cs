namespace Containers.Oci.Packages;

/// <summary>
/// One apt source: a repository URL, a suite (<c>bookworm</c>, <c>noble-updates</c>), its components and the keyring
/// its InRelease must be signed by. <paramref name="Keyring"/> is a path in the base image (from its apt configuration)
/// or on this machine (from ContainerPackageSource); null means apt's default trusted keys
/// (<c>/etc/apt/trusted.gpg.d</c> in the image).
/// </summary>
public sealed record AptSource(Uri BaseUri, string Suite, IReadOnlyList<string> Components, string? Keyring)
{
    public override string ToString() => $"{BaseUri.AbsoluteUri.TrimEnd('/')} {Suite} {string.Join(',', Components)}";

    /// <summary>The URL of a file below the repository's root, e.g. <c>dists/bookworm/InRelease</c>.</summary>
    public Uri Resolve(string relativePath) => new(new Uri(BaseUri.AbsoluteUri.TrimEnd('/') + "/"), relativePath);

    /// <summary>
    /// ContainerPackageSource: <c>URL SUITE COMPONENT[,COMPONENT...] KEYRING</c>, several separated by ';'.
    /// </summary>
    public static IReadOnlyList<AptSource> ParseProperty(string value, string projectDirectory)
    {
        var sources = new List<AptSource>();
        foreach (var one in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = one.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 4) throw Errors.ErrorCatalogue.InvalidPackageSource.ToException(one, $"it has {parts.Length} parts instead of 4");
            if (!Uri.TryCreate(parts[0], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw Errors.ErrorCatalogue.InvalidPackageSource.ToException(one, $"'{parts[0]}' is not an http or https URL");
            }
            var keyring = Path.GetFullPath(parts[3], projectDirectory);
            if (!File.Exists(keyring)) throw Errors.ErrorCatalogue.InvalidPackageSource.ToException(one, $"the keyring '{keyring}' does not exist");
            sources.Add(new AptSource(uri, parts[1], parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries), "host:" + keyring));
        }
        return sources;
    }

    /// <summary>The 'deb' lines of a one-line-style <c>sources.list</c>; 'deb-src' and options other than signed-by are ignored.</summary>
    public static IEnumerable<AptSource> ParseList(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#')[0].Trim();
            if (!line.StartsWith("deb ", StringComparison.Ordinal) && !line.StartsWith("deb\t", StringComparison.Ordinal)) continue;
            var rest = line[3..].Trim();
            string? keyring = null;
            if (rest.StartsWith('['))
            {
                var end = rest.IndexOf(']');
                if (end < 0) continue;
                foreach (var option in rest[1..end].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (option.StartsWith("signed-by=", StringComparison.OrdinalIgnoreCase)) keyring = option["signed-by=".Length..];
                }
                rest = rest[(end + 1)..].Trim();
            }
            var parts = rest.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || !Uri.TryCreate(parts[0], UriKind.Absolute, out var uri) || parts[1].EndsWith('/')) continue;
            yield return new AptSource(uri, parts[1], parts[2..], keyring);
        }
    }

    /// <summary>The 'deb' entries of a deb822 <c>.sources</c> file: one per URI and suite; disabled ones (<c>Enabled: no</c>) skipped.</summary>
    public static IEnumerable<AptSource> ParseDeb822(string text)
    {
        foreach (var paragraph in ControlParagraph.ParseAll(text))
        {
            var types = Words(paragraph["Types"]);
            if (!types.Contains("deb") || string.Equals(paragraph["Enabled"], "no", StringComparison.OrdinalIgnoreCase)) continue;
            var keyring = paragraph["Signed-By"];
            // An inline key block (several lines) is kept as the key itself, marked so the reader does not look for a file.
            if (keyring is not null && keyring.Contains('\n')) keyring = "inline:" + keyring;
            foreach (var uriText in Words(paragraph["URIs"]))
            {
                if (!Uri.TryCreate(uriText, UriKind.Absolute, out var uri)) continue;
                foreach (var suite in Words(paragraph["Suites"]).Where(s => !s.EndsWith('/')))
                {
                    yield return new AptSource(uri, suite, Words(paragraph["Components"]), keyring);
                }
            }
        }
    }

    private static string[] Words(string? value) => (value ?? "").Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
}
