using System.Globalization;
using Containers.Oci.Errors;
using Containers.Oci.Layers;

namespace Containers.Oci.Publishing;

/// <summary>Parses the layering settings a user writes (MSBuild properties and ContainerLayer items, or CLI options).</summary>
public static class LayerInputs
{
    public static LayeringMode ParseLayering(string? value) => value?.Trim() switch
    {
        null or "" => LayeringMode.Auto,
        var v when v.Equals("Auto", StringComparison.OrdinalIgnoreCase) => LayeringMode.Auto,
        var v when v.Equals("Single", StringComparison.OrdinalIgnoreCase) => LayeringMode.Single,
        var v => throw ErrorCatalogue.InvalidLayering.ToException(v),
    };

    public static LayerCompression ParseCompression(string? value)
        => LayerCompressions.TryParse(value, out var compression) ? compression : throw ErrorCatalogue.InvalidCompression.ToException(value);

    /// <summary>A ContainerLayer: source (file or folder), absolute target path, optional octal mode and owner uid[:gid].</summary>
    public static ExtraLayer ParseExtraLayer(string source, string? targetPath, string? mode, string? owner)
    {
        if (!File.Exists(source) && !Directory.Exists(source)) throw ErrorCatalogue.InvalidExtraLayer.ToException(source, "no such file or folder");
        if (string.IsNullOrWhiteSpace(targetPath) || !targetPath.StartsWith('/')) throw ErrorCatalogue.InvalidExtraLayer.ToException(source, "TargetPath must be an absolute path in the image");
        if (ImagePath.Problem(targetPath.Trim()) is { } problem) throw ErrorCatalogue.InvalidExtraLayer.ToException(source, $"TargetPath '{targetPath}' cannot be a path in the image: {problem}");
        // A folder at '/' puts its contents at the root; a file there would be a tar entry with no name.
        if (!Directory.Exists(source) && ImagePath.Normalize(targetPath.Trim()).Length == 0)
        {
            throw ErrorCatalogue.InvalidExtraLayer.ToException(source, "a file's TargetPath must name the file, not the root folder '/'");
        }

        int? parsedMode = null;
        if (!string.IsNullOrWhiteSpace(mode))
        {
            try
            {
                parsedMode = Convert.ToInt32(mode.Trim(), 8);
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                throw ErrorCatalogue.InvalidExtraLayer.ToException(source, $"Mode '{mode}' is not an octal mode such as 0644");
            }
            if (parsedMode is < 0 or > 0b111_111_111_111) throw ErrorCatalogue.InvalidExtraLayer.ToException(source, $"Mode '{mode}' is out of range");
        }

        var (uid, gid) = (0, 0);
        if (!string.IsNullOrWhiteSpace(owner))
        {
            var parts = owner.Trim().Split(':');
            if (parts.Length > 2 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                throw ErrorCatalogue.InvalidExtraLayer.ToException(source, $"Owner '{owner}' is not uid or uid:gid");
            }
            uid = int.Parse(parts[0], CultureInfo.InvariantCulture);
            gid = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : uid;
        }
        return new ExtraLayer(Path.GetFullPath(source), targetPath.Trim(), parsedMode, uid, gid);
    }
}
