using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace Containers.Oci.Tests.Support;

/// <summary>
/// A Debian repository in memory, as apt reads one: <c>dists/SUITE/InRelease</c> clearsigned with a key made for the
/// test run, a gzip Packages index whose SHA-256 the signed text gives, and .debs (gzip control, zstd data) whose
/// SHA-256 the index gives. <see cref="Handler"/> serves it over a fake HTTP transport and can change bytes on the way.
/// </summary>
internal sealed class TestDebianRepository
{
    public const string Suite = "stable";
    private static readonly Lazy<PgpKeyPair> Key = new(MakeKey);
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly StringBuilder _index = new();

    /// <summary>The keyring (binary, as a .gpg file) with the repository's public key.</summary>
    public static byte[] PublicKeyring => Keyring(Key.Value, "test repository <repo@test.invalid>");

    /// <summary>A keyring with a key of its own: for a repository signed by someone else.</summary>
    public static byte[] OtherKeyring() => Keyring(MakeKey(), "someone else <other@test.invalid>");

    private static byte[] Keyring(PgpKeyPair key, string id)
        => new PgpKeyRingGenerator(PgpSignature.PositiveCertification, key, id, SymmetricKeyAlgorithmTag.Aes256, (char[])[], true, null, null, new SecureRandom())
            .GeneratePublicKeyRing().GetEncoded();

    /// <summary>Adds a package whose data holds the given files (path → text; a text starting "-> " is a symlink).</summary>
    public TestDebianRepository Add(string name, string version, string depends = "", params (string Path, string Text)[] files)
        => AddDeb(name, version, depends, Deb(Control(name, version, depends), files));

    /// <summary>Adds a package with a postinst script.</summary>
    public TestDebianRepository AddWithPostinst(string name, string version, string postinst)
        => AddDeb(name, version, "", Deb(Control(name, version, ""), [("/usr/share/doc/" + name + "/x", "x")], postinst));

    /// <summary>Adds a package whose file is these bytes, whatever they are (its hash in the index is theirs).</summary>
    public TestDebianRepository AddDeb(string name, string version, string depends, byte[] deb)
    {
        var control = Control(name, version, depends);
        var path = $"pool/main/{name}_{version}_amd64.deb";
        _files[path] = deb;
        _index.Append(control).Append($"Filename: {path}\nSize: {deb.Length}\nSHA256: {Sha256(deb)}\n\n");
        return this;
    }

    /// <summary>Writes the index and the signed InRelease; call after the last <see cref="Add"/>.</summary>
    public TestDebianRepository Publish()
    {
        var packages = Gzip(Encoding.UTF8.GetBytes(_index.ToString()));
        _files[$"dists/{Suite}/main/binary-amd64/Packages.gz"] = packages;
        var release = $"Suite: {Suite}\nArchitectures: amd64\nComponents: main\nSHA256:\n {Sha256(packages)} {packages.Length} main/binary-amd64/Packages.gz\n";
        _files[$"dists/{Suite}/InRelease"] = ClearSign(release);
        return this;
    }

    private static string Control(string name, string version, string depends)
        => $"Package: {name}\nVersion: {version}\nArchitecture: amd64\nMaintainer: test\n{(depends.Length > 0 ? $"Depends: {depends}\n" : "")}Description: {name} for tests\n";

    public FakeHttp Handler(Func<string, bool>? tamper = null) => new(_files, tamper ?? (_ => false));

    /// <summary>Serves the repository's files below <c>http://repo.test/</c>, counting requests.</summary>
    public sealed class FakeHttp(Dictionary<string, byte[]> files, Func<string, bool> tamper) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath.TrimStart('/');
            lock (Requests) Requests.Add(path);
            if (!files.TryGetValue(path, out var bytes)) return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
            bytes = (byte[])bytes.Clone();
            if (tamper(path)) bytes[bytes.Length / 2] ^= 0x20;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) });
        }
    }

    private static byte[] ClearSign(string text)
    {
        var lines = text.TrimEnd('\n').Split('\n');
        var signer = new PgpSignatureGenerator(PublicKeyAlgorithmTag.RsaGeneral, HashAlgorithmTag.Sha256);
        signer.InitSign(PgpSignature.CanonicalTextDocument, Key.Value.PrivateKey);
        signer.Update(Encoding.UTF8.GetBytes(string.Join("\r\n", lines)));
        using var armored = new MemoryStream();
        using (var armor = new ArmoredOutputStream(armored)) signer.Generate().Encode(armor);
        var escaped = lines.Select(l => l.StartsWith('-') ? "- " + l : l);
        return Encoding.UTF8.GetBytes($"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n{string.Join("\n", escaped)}\n{Encoding.ASCII.GetString(armored.ToArray())}");
    }

    private static PgpKeyPair MakeKey()
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(0x10001), new SecureRandom(), 2048, 12));
        return new PgpKeyPair(PublicKeyAlgorithmTag.RsaGeneral, generator.GenerateKeyPair(), DateTime.UtcNow);
    }

    private static byte[] Deb(string control, (string Path, string Text)[] files, string? postinst = null)
    {
        var md5sums = string.Concat(files.Where(f => !f.Text.StartsWith("-> ", StringComparison.Ordinal))
            .Select(f => $"{Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(f.Text)))}  {f.Path.TrimStart('/')}\n"));
        (string, string)[] controlFiles = postinst is null ? [("./control", control), ("./md5sums", md5sums)] : [("./control", control), ("./md5sums", md5sums), ("./postinst", postinst)];
        var controlTar = Gzip(Tar(controlFiles, directories: false));
        using var data = new MemoryStream();
        using (var zstd = new ZstdSharp.CompressionStream(data, leaveOpen: true)) zstd.Write(Tar(files.Select(f => ("." + f.Path, f.Text)).ToArray(), directories: true));
        using var ar = new MemoryStream();
        ar.Write("!<arch>\n"u8);
        foreach (var (name, bytes) in new[] { ("debian-binary", "2.0\n"u8.ToArray()), ("control.tar.gz", controlTar), ("data.tar.zst", data.ToArray()) })
        {
            ar.Write(Encoding.ASCII.GetBytes($"{name,-16}{0,-12}{0,-6}{0,-6}{"100644",-8}{bytes.Length,-10}`\n"));
            ar.Write(bytes);
            if (bytes.Length % 2 == 1) ar.WriteByte((byte)'\n');
        }
        return ar.ToArray();
    }

    /// <summary>A tar of the files, with "./" and each parent folder first when <paramref name="directories"/>, as dpkg-deb writes them.</summary>
    internal static byte[] Tar((string Path, string Text)[] files, bool directories)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Gnu, leaveOpen: true))
        {
            var written = new HashSet<string>(StringComparer.Ordinal);
            if (directories) { writer.WriteEntry(new GnuTarEntry(TarEntryType.Directory, "./")); }
            foreach (var (path, text) in files)
            {
                var parts = path.Split('/');
                for (var i = 2; directories && i < parts.Length; i++)
                {
                    var folder = string.Join('/', parts[..i]) + "/";
                    if (written.Add(folder)) writer.WriteEntry(new GnuTarEntry(TarEntryType.Directory, folder) { Mode = (UnixFileMode)0b111_101_101 });
                }
                if (text.StartsWith("-> ", StringComparison.Ordinal)) writer.WriteEntry(new GnuTarEntry(TarEntryType.SymbolicLink, path) { LinkName = text[3..] });
                else writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)), Mode = (UnixFileMode)0b110_100_100 });
            }
        }
        return tar.ToArray();
    }

    internal static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(content);
        return output.ToArray();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
