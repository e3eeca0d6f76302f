using System.Text;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Containers.Oci.Packages;

/// <summary>
/// The OpenPGP public keys a source's InRelease must be signed by: its Signed-By keyring (a file in the base image,
/// a file on this machine for ContainerPackageSource, or a key block written inline in a .sources file), else apt's
/// default trusted keys in the image (<c>/etc/apt/trusted.gpg</c> and <c>/etc/apt/trusted.gpg.d/</c>). Binary
/// (.gpg) and armored (.asc) keyrings are both read.
/// </summary>
public sealed class TrustedKeys
{
    private readonly List<PgpPublicKeyRingBundle> _bundles;

    private TrustedKeys(List<PgpPublicKeyRingBundle> bundles) => _bundles = bundles;

    public static TrustedKeys For(AptSource source, BaseSystem baseSystem)
    {
        var keyring = source.Keyring;
        if (keyring is null)
        {
            var defaults = baseSystem.Files.Where(f => f.Key == "etc/apt/trusted.gpg"
                || (f.Key.StartsWith("etc/apt/trusted.gpg.d/", StringComparison.Ordinal) && (f.Key.EndsWith(".gpg", StringComparison.Ordinal) || f.Key.EndsWith(".asc", StringComparison.Ordinal))))
                .Select(f => f.Value).ToList();
            if (defaults.Count == 0) throw Errors.ErrorCatalogue.PackageKeyringMissing.ToException("/etc/apt/trusted.gpg.d", source);
            return Read(defaults, "/etc/apt/trusted.gpg.d", source);
        }
        if (keyring.StartsWith("inline:", StringComparison.Ordinal))
        {
            // deb822 writes an empty line of the block as " .".
            var block = string.Join('\n', keyring["inline:".Length..].Split('\n').Select(l => l == "." ? "" : l));
            return Read([Encoding.ASCII.GetBytes(block + "\n")], "the inline Signed-By key", source);
        }
        if (keyring.StartsWith("host:", StringComparison.Ordinal))
        {
            var path = keyring["host:".Length..];
            if (!System.IO.File.Exists(path)) throw Errors.ErrorCatalogue.PackageKeyringMissing.ToException(path, source);
            return Read([System.IO.File.ReadAllBytes(path)], path, source);
        }
        var inImage = baseSystem.File(keyring) ?? throw Errors.ErrorCatalogue.PackageKeyringMissing.ToException(keyring, source);
        return Read([inImage], keyring, source);
    }

    /// <summary>Keys from keyring files' bytes (tests give their own).</summary>
    public static TrustedKeys FromKeyrings(IEnumerable<byte[]> keyrings) => Read(keyrings.ToList(), "the keyring", null);

    public PgpPublicKey? Find(long keyId)
        => _bundles.Select(b => b.GetPublicKey(keyId)).FirstOrDefault(k => k is not null);

    private static TrustedKeys Read(List<byte[]> keyrings, string name, AptSource? source)
    {
        var bundles = new List<PgpPublicKeyRingBundle>();
        foreach (var bytes in keyrings)
        {
            try
            {
                using var decoded = PgpUtilities.GetDecoderStream(new MemoryStream(bytes));
                bundles.Add(new PgpPublicKeyRingBundle(decoded));
            }
            catch (Exception e) when (e is PgpException or IOException)
            {
                throw Errors.ErrorCatalogue.PackageSignatureInvalid.ToException(e, source?.ToString() ?? name, $"the keyring '{name}' cannot be read ({e.Message.TrimEnd('.')})");
            }
        }
        return new TrustedKeys(bundles);
    }
}
