using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Containers.Oci.Model;

/// <summary>One JSON setting for everything we write: compact, stable property order, no needless escaping.
/// The bytes we serialize are the bytes we digest, so this must never vary between runs.</summary>
public static class OciJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNameCaseInsensitive = false,
        // Compile-time serialization code for our documents first (same output: it follows the same attributes).
        TypeInfoResolver = JsonTypeInfoResolver.Combine(OciJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static byte[] Serialize(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Options);

    public static T Deserialize<T>(ReadOnlySpan<byte> json)
        => JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Empty {typeof(T).Name} document.");

    /// <summary>Reads only the top-level mediaType of a manifest-like document, if present.</summary>
    public static string? PeekMediaType(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var doc = JsonDocument.ParseValue(ref reader);
        return doc.RootElement.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null;
    }
}
