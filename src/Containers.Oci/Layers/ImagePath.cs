using Containers.Oci.Errors;

namespace Containers.Oci.Layers;

/// <summary>
/// Paths inside an image, and the one rule for every name that becomes a tar entry. An image path is always read from
/// the root (there is no current folder in an image to be relative to), so a leading '/' is optional here; the
/// settings users write must start with one, which is checked where they are parsed. Tar entries carry no leading '/'.
/// </summary>
public static class ImagePath
{
    /// <summary>
    /// Why <paramref name="name"/> (relative to the root, '/' between parts) cannot name a tar entry, or null when it
    /// can. A '\' is refused rather than read: it is an ordinary character in a Linux name but a separator to
    /// Windows tools, so <c>..\..\etc\passwd</c> would climb out of the root in some extractor.
    /// </summary>
    public static string? EntryNameProblem(string name)
    {
        if (name.Length == 0) return "it is empty (the root folder is never an entry of its own)";
        if (name[0] == '/') return "it starts with '/'";
        if (name.Contains('\\')) return "it contains '\\', which some tools read as a folder separator";
        if (name.Contains('\0')) return "it contains a NUL character";
        // Half a surrogate pair has no UTF-8 form: it would be written as U+FFFD, a different name.
        if (!IsWellFormedUtf16(name)) return "it holds half of a UTF-16 surrogate pair, which has no UTF-8 form";
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0) return "it has an empty folder name ('//')";
            if (part is "." or "..") return $"it has a '{part}' folder, which could climb out of the root";
        }
        return null;
    }

    private static bool IsWellFormedUtf16(string name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsHighSurrogate(name[i]) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1])) i++;
            else if (char.IsSurrogate(name[i])) return false;
        }
        return true;
    }

    /// <summary>Returns <paramref name="name"/> when it may name a tar entry, else throws CONTAINER5400.</summary>
    public static string CheckEntryName(string name)
        => EntryNameProblem(name) is { } problem ? throw ErrorCatalogue.InvalidImagePath.ToException(name, problem) : name;

    /// <summary>
    /// <c>/app//x/</c> → <c>app/x</c>; <c>/</c> → the empty string (the root). Empty and '.' parts are dropped; '..',
    /// '\' and NUL are refused (CONTAINER5400), so nothing can escape the root.
    /// </summary>
    public static string Normalize(string imagePath)
        => Problem(imagePath) is { } problem ? throw ErrorCatalogue.InvalidImagePath.ToException(imagePath, problem) : Join(imagePath);

    /// <summary>Why <see cref="Normalize"/> refuses <paramref name="imagePath"/>, or null when it does not.</summary>
    public static string? Problem(string imagePath) => Join(imagePath) is { Length: > 0 } joined ? EntryNameProblem(joined) : null;

    private static string Join(string imagePath)
        => string.Join('/', imagePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));

    /// <summary>Joins a working directory and a file name the way users mean it, with or without a trailing slash.</summary>
    public static string Combine(string directory, string name) => "/" + Normalize(directory + "/" + name);

    /// <summary>An absolute directory path with exactly one trailing slash, e.g. <c>/app/</c>; CONTAINER5400 when it climbs out.</summary>
    public static string AsDirectory(string directory)
    {
        var normalized = Normalize(directory);
        return normalized.Length == 0 ? "/" : "/" + normalized + "/";
    }
}
