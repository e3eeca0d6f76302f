using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Containers.Oci.Packages;

/// <summary>
/// An InRelease file: a Release text clearsigned with OpenPGP (RFC 4880 §7). <see cref="Verify"/> returns the signed
/// text only when a signature over it checks against one of the trusted keys; anything else (no signature, an unknown
/// key, a changed byte) is CONTAINER5803. Only the text between the armor lines is returned, so nothing unsigned is read.
/// </summary>
public static class ClearSignedRelease
{
    private const string Begin = "-----BEGIN PGP SIGNED MESSAGE-----";
    private const string SignatureBegin = "-----BEGIN PGP SIGNATURE-----";

    public static string Verify(byte[] inRelease, TrustedKeys keys, string source)
    {
        var text = Encoding.UTF8.GetString(inRelease).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = text.IndexOf(Begin + "\n", StringComparison.Ordinal);
        var signatureAt = text.IndexOf("\n" + SignatureBegin, StringComparison.Ordinal);
        if (start < 0 || signatureAt < start) throw Untrusted(source, "it is not a clearsigned OpenPGP message");
        // Armor headers (Hash: SHA256) end at the first empty line; the signed text follows, dash-escaped.
        var bodyStart = text.IndexOf("\n\n", start, StringComparison.Ordinal);
        if (bodyStart < 0 || bodyStart > signatureAt) throw Untrusted(source, "its armor headers do not end");
        var lines = text[(bodyStart + 2)..signatureAt].Split('\n').Select(l => l.StartsWith("- ", StringComparison.Ordinal) ? l[2..] : l).ToList();
        var signed = string.Join("\n", lines);
        // The signature covers the lines without trailing blanks, joined by CRLF, without the last line ending.
        var canonical = Encoding.UTF8.GetBytes(string.Join("\r\n", lines.Select(l => l.TrimEnd(' ', '\t'))));

        var signatures = ReadSignatures(text[(signatureAt + 1)..], source);
        var reasons = new List<string>();
        for (var i = 0; i < signatures.Count; i++)
        {
            var signature = signatures[i];
            var key = keys.Find(signature.KeyId);
            if (key is null) { reasons.Add($"key {signature.KeyId:X16} is not in the keyring"); continue; }
            signature.InitVerify(key);
            signature.Update(canonical);
            if (signature.Verify()) return signed + "\n";
            reasons.Add($"the signature by key {signature.KeyId:X16} does not match the text");
        }
        throw Untrusted(source, reasons.Count == 0 ? "it has no signature" : string.Join("; ", reasons));
    }

    private static PgpSignatureList ReadSignatures(string armored, string source)
    {
        try
        {
            using var armor = new ArmoredInputStream(new MemoryStream(Encoding.ASCII.GetBytes(armored)));
            var factory = new PgpObjectFactory(armor);
            for (var o = factory.NextPgpObject(); o is not null; o = factory.NextPgpObject())
            {
                if (o is PgpSignatureList list) return list;
            }
        }
        catch (Exception e) when (e is IOException or PgpException)
        {
            throw Untrusted(source, $"its signature cannot be read ({e.Message.TrimEnd('.')})");
        }
        throw Untrusted(source, "it has no signature");
    }

    private static Errors.ContainerException Untrusted(string source, string reason)
        => Errors.ErrorCatalogue.PackageSignatureInvalid.ToException(source, reason);
}
