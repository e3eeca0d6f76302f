using System.Text;
using Containers.Oci.Errors;

namespace Containers.Oci.Names;

/// <summary>Turns a project-derived name (an assembly name such as <c>My App</c>) into a valid repository name, as the SDK does.</summary>
public static class RepositoryName
{
    /// <summary>
    /// Lower-cases the name and replaces characters a repository cannot hold with '-'. Returns the name unchanged when already valid.
    /// Throws CONTAINER2005 when nothing usable is left (the name must start with a letter or digit).
    /// </summary>
    public static string Normalize(string name, out bool changed)
    {
        changed = false;
        if (ImageReference.IsValidRepository(name, out _)) return name;

        var builder = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
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
