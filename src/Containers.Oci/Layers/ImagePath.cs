namespace Containers.Oci.Layers;

/// <summary>Paths inside an image: absolute Linux paths, stored in tars without the leading '/'.</summary>
public static class ImagePath
{
    /// <summary><c>/app//x/</c> → <c>app/x</c>. Rejects '..' so nothing can escape the root.</summary>
    public static string Normalize(string imagePath)
    {
        var parts = imagePath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p != ".").ToList();
        if (parts.Contains(".."))
        {
            throw new ArgumentException($"The image path '{imagePath}' must not contain '..'.", nameof(imagePath));
        }
        return string.Join('/', parts);
    }

    /// <summary>Joins a working directory and a file name the way users mean it, with or without a trailing slash.</summary>
    public static string Combine(string directory, string name) => "/" + Normalize(directory + "/" + name);

    /// <summary>An absolute directory path with exactly one trailing slash, e.g. <c>/app/</c>.</summary>
    public static string AsDirectory(string directory)
    {
        var normalized = Normalize(directory);
        return normalized.Length == 0 ? "/" : "/" + normalized + "/";
    }
}
