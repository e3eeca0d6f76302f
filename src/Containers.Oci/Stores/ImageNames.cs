using Containers.Oci.Names;

namespace Containers.Oci.Stores;

/// <summary>Whether a name found in a layout or archive is the one the user asked for, as the engines would see it.</summary>
internal static class ImageNames
{
    /// <summary>
    /// Exact text; or the same image once normalised (<c>myapp:1.0</c> is <c>docker.io/library/myapp:1.0</c>);
    /// or podman's spelling of a name without a registry (<c>localhost/myapp:1.0</c>).
    /// </summary>
    public static bool Matches(string? candidate, string wanted)
    {
        if (candidate is null) return false;
        if (string.Equals(candidate, wanted, StringComparison.Ordinal)) return true;
        if (string.Equals(candidate, "localhost/" + wanted, StringComparison.Ordinal)) return true;
        return ImageReference.TryParse(candidate, out var a, out _) && ImageReference.TryParse(wanted, out var b, out _)
               && string.Equals(WithDefaultTag(a), WithDefaultTag(b), StringComparison.Ordinal);
    }

    private static string WithDefaultTag(ImageReference reference)
        => reference.Tag is null && reference.Digest is null ? reference.WithTag("latest").ToString() : reference.ToString();

    public static string List(IEnumerable<string?> names)
    {
        var distinct = names.Select(n => n ?? "(unnamed)").Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 0 ? "no images" : string.Join(", ", distinct.Select(n => $"'{n}'"));
    }
}
