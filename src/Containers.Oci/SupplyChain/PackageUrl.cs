using System.Text;

namespace Containers.Oci.SupplyChain;

/// <summary>
/// Package URLs (the purl spec): how scanners and vulnerability databases name a package. Names and versions are
/// percent-encoded except for the characters the spec keeps; a NuGet name keeps its case, as the spec's examples do.
/// </summary>
public static class PackageUrl
{
    public static string NuGet(string name, string version) => $"pkg:nuget/{Encode(name)}@{Encode(version)}";

    /// <summary>A Debian-family package: <c>pkg:deb/debian/libc6@2.36-9?arch=amd64</c>, the distro from os-release.</summary>
    public static string Deb(string distro, OsPackage package)
    {
        var url = $"pkg:deb/{Encode(distro.ToLowerInvariant())}/{Encode(package.Name)}@{Encode(package.Version)}";
        var qualifiers = new List<string>();
        if (package.Architecture is { Length: > 0 } arch) qualifiers.Add($"arch={Encode(arch)}");
        if (package.Source is { Length: > 0 } source && source != package.Name) qualifiers.Add($"upstream={Encode(source)}");
        return qualifiers.Count == 0 ? url : $"{url}?{string.Join('&', qualifiers)}";
    }

    /// <summary>An OCI image by digest, with the repository it came from: <c>pkg:oci/aspnet@sha256%3A…?repository_url=…</c>.</summary>
    public static string Oci(string repositoryUrl, string digest)
    {
        var name = repositoryUrl[(repositoryUrl.LastIndexOf('/') + 1)..];
        return $"pkg:oci/{Encode(name)}@{Encode(digest)}?repository_url={Encode(repositoryUrl)}";
    }

    /// <summary>Percent-encodes all but the unreserved characters (and '/' inside a repository URL stays encoded too).</summary>
    internal static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '~' or '+') builder.Append(c);
            else builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }
}
