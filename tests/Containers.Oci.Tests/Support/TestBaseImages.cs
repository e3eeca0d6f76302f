using System.Formats.Tar;
using System.Text;
using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.Oci.Tests.Support;

/// <summary>Base images with what the package stage reads: root links, apt sources and keyring, a package database.</summary>
internal static class TestBaseImages
{
    public const string Status = "Package: libbase\nStatus: install ok installed\nVersion: 1.0\nArchitecture: amd64\nDescription: in the base\n";

    /// <summary>One layer: <c>bin → usr/bin</c>, <paramref name="sources"/> (a deb822 file; null for none) with the test repository's keyring (or <paramref name="keyring"/>), and libbase installed.</summary>
    public static IImage Debian(TempDirectory dir, string? sources, byte[]? keyring = null, bool statusFolder = false)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin") { LinkName = "usr/bin" });
            void File(string path, byte[] bytes) => writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(bytes) });
            if (sources is not null)
            {
                File("etc/apt/sources.list.d/test.sources", Encoding.UTF8.GetBytes(sources));
                File("usr/share/keyrings/test.gpg", keyring ?? TestDebianRepository.PublicKeyring);
            }
            if (statusFolder) File("var/lib/dpkg/status.d/libbase", Encoding.UTF8.GetBytes(Status));
            else File("var/lib/dpkg/status", Encoding.UTF8.GetBytes(Status));
        }
        var gz = TestDebianRepository.Gzip(tar.ToArray());
        var path = dir.Combine($"base-{Guid.NewGuid():N}.tar.gz");
        System.IO.File.WriteAllBytes(path, gz);
        var layer = new FileLayer(new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256(gz).ToString(), Size = gz.Length }, Digest.Sha256(tar.ToArray()).ToString(), path);
        return SampleImages.Build([layer]);
    }
}
