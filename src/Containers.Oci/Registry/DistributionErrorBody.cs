using System.Text.Json;

namespace Containers.Oci.Registry;

/// <summary>
/// Reads the error document of the distribution spec, <c>{"errors":[{"code":"NAME_UNKNOWN","message":"…"}]}</c>,
/// into one short line for an error message. The detail field is left out: it can be large and says little more.
/// </summary>
internal static class DistributionErrorBody
{
    private const int MaxErrors = 3;
    private const int MaxMessageLength = 200;

    /// <summary>"CODE: message; CODE: message", or null when the body is not such a document.</summary>
    public static string? Describe(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("errors", out var errors)
                || errors.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            var parts = errors.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object)
                .Take(MaxErrors)
                .Select(Describe)
                .Where(p => p.Length > 0)
                .ToList();
            return parts.Count == 0 ? null : string.Join("; ", parts);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(JsonElement error)
    {
        var code = StringProperty(error, "code");
        var message = StringProperty(error, "message");
        if (message is { Length: > MaxMessageLength }) message = message[..MaxMessageLength] + "…";
        return (code, message) switch
        {
            (not null, not null) => $"{code}: {message}",
            (not null, null) => code,
            (null, not null) => message,
            _ => "",
        };
    }

    private static string? StringProperty(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;
}
