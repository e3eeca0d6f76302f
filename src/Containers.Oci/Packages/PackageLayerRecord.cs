using System.Text.Json;
using System.Text.Json.Serialization;
using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.Oci.Packages;

/// <summary>One package as the result file and the layer record name it.</summary>
public sealed record InstalledPackage(string Name, string Version, string Architecture, string? Sha256);

/// <summary>
/// What a package layer was made of and where its blob is: remembered under the key of its inputs
/// (<see cref="PackageStage"/>), so an unchanged re-publish reuses it without reading an index or a .deb.
/// </summary>
public sealed record PackageLayerRecord(string Digest, string DiffId, long Size, string MediaType, IReadOnlyList<InstalledPackage> Installed, IReadOnlyList<InstalledPackage> AlreadyInBase)
{
    public FileLayer Layer(string blobDirectory)
        => new(new Descriptor { MediaType = MediaType, Digest = Digest, Size = Size }, DiffId, Path.Combine(blobDirectory, Model.Digest.Parse(Digest).Encoded));

    public static PackageLayerRecord? TryRead(string path, string blobDirectory)
    {
        try
        {
            var record = JsonSerializer.Deserialize(File.ReadAllBytes(path), PackageLayerJsonContext.Default.PackageLayerRecord);
            // The blob is renamed into place only when complete; its size guards against a damaged one.
            return record is not null && new FileInfo(record.Layer(blobDirectory).Path) is { Exists: true } blob && blob.Length == record.Size ? record : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    public void Write(string path)
    {
        var temp = path + $".tmp-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(this, PackageLayerJsonContext.Default.PackageLayerRecord));
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (Exception f) when (f is IOException or UnauthorizedAccessException) { }
            throw Layers.LayerWriter.CannotWrite(Path.GetDirectoryName(path)!, e);
        }
    }
}

[JsonSerializable(typeof(PackageLayerRecord))]
internal sealed partial class PackageLayerJsonContext : JsonSerializerContext;
