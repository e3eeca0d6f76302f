namespace Containers.Oci.Packages;

/// <summary>A ContainerPackage item: a package name and, optionally, the exact version to install.</summary>
public sealed record PackageRequest(string Name, string? Version = null)
{
    /// <summary>Checks a name and version as written; a bad one is CONTAINER5812 before anything is read.</summary>
    public static PackageRequest Parse(string name, string? version)
    {
        var n = name.Trim();
        // Debian policy 5.6.1: at least two characters, lower case letters, digits, '+', '-', '.', starting alphanumeric.
        if (n.Length < 2 || !char.IsAsciiLetterOrDigit(n[0]) || !n.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '+' or '-' or '.'))
        {
            throw Errors.ErrorCatalogue.InvalidPackageItem.ToException(name, "a package name is two or more lower-case letters, digits, '+', '-' or '.', starting with a letter or digit");
        }
        var v = string.IsNullOrWhiteSpace(version) ? null : version.Trim();
        if (v is not null && (!char.IsAsciiDigit(v.Split(':').Last()[0]) || v.Any(char.IsWhiteSpace)))
        {
            throw Errors.ErrorCatalogue.InvalidPackageItem.ToException(name, $"the Version '{version}' is not a Debian version (it starts with a digit, after an optional 'epoch:')");
        }
        return new PackageRequest(n, v);
    }

    public override string ToString() => Version is null ? Name : $"{Name}={Version}";
}
