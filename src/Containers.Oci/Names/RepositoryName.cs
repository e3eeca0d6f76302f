using System.Text;
using Containers.Oci.Errors;

namespace Containers.Oci.Names;

/// <summary>Turns a project-derived name (an assembly name such as <c>My App</c>) into a valid repository name, as the SDK does.</summary>
public static class RepositoryName
{
    /// <summary>
    /// Lower-cases the name, takes letters with diacritics to their ASCII letter (<c>Café</c> → <c>cafe</c>), leaves out
    /// other characters outside ASCII, and replaces ASCII characters a repository cannot hold with '-'. Returns the name
    /// unchanged when already valid. Throws CONTAINER2005 when nothing usable is left (the name must start with a
    /// letter or digit).
    /// </summary>
    public static string Normalize(string name, out bool changed)
    {
        changed = false;
        if (ImageReference.IsValidRepository(name, out _)) return name;

        // FormD splits 'é' into 'e' and a combining accent; the accent, like any other non-ASCII character, has no
        // place in a repository name and no ASCII stand-in, so it is dropped rather than turned into a '-'.
        var decomposed = name.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (c > '\u007f') continue;
            builder.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '/' ? c : '-');
        }
        var normalized = builder.ToString();
        if (!ImageReference.IsValidRepository(normalized, out var reason))
        {
            throw ErrorCatalogue.InvalidRepositoryName.ToException(name, reason);
        }
        changed = true;
        return normalized;
    }
}
