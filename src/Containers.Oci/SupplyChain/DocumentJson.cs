using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Containers.Oci.SupplyChain;

/// <summary>How the supply-chain documents are written: indented UTF-8 with a final newline, in a fixed order, so the same facts give the same bytes.</summary>
internal static class DocumentJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Bytes(JsonNode document) => Encoding.UTF8.GetBytes(document.ToJsonString(Options) + "\n");

    /// <summary>A name-based UUID (RFC 9562 version 5 layout, SHA-256 rather than SHA-1) from a seed, e.g. an image digest.</summary>
    public static string Uuid(string seed)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed)).AsSpan(0, 16).ToArray();
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(hash);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The hex part of a <c>sha256:…</c> digest.</summary>
    public static string Hex(string digest) => digest[(digest.IndexOf(':') + 1)..];

    public static JsonArray Array(IEnumerable<JsonNode?> items) => new([.. items]);

    public static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode?)JsonValue.Create(i))]);
}
