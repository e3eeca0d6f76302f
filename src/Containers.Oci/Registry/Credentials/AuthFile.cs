using System.Text;
using System.Text.Json;
using Containers.Oci.Errors;

namespace Containers.Oci.Registry.Credentials;

/// <summary>
/// Docker's <c>config.json</c> and Podman's <c>auth.json</c>, which share a format: <c>auths</c> (base64 <c>user:password</c>
/// in <c>auth</c>, or an <c>identitytoken</c>), <c>credHelpers</c> (registry → helper name) and <c>credsStore</c>.
/// </summary>
internal sealed class AuthFile
{
    private readonly List<(string Key, JsonElement Entry)> _auths = [];
    private readonly List<(string Key, string Helper)> _helpers = [];

    private AuthFile(string path) => Path = path;

    public string Path { get; }

    public string? CredsStore { get; private set; }

    /// <summary>The file, or null when it does not exist. A file that exists but cannot be read is an error: it was meant to be used.</summary>
    public static AuthFile? Load(string path)
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(path)) return null;
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ErrorCatalogue.CredentialFileInvalid.ToException(e, path, e.Message.TrimEnd('.'));
        }
        var file = new AuthFile(path);
        if (bytes.AsSpan().Trim((byte)' ').IsEmpty) return file;
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw ErrorCatalogue.CredentialFileInvalid.ToException(path, "it is not a JSON object");
            if (root.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
            {
                foreach (var auth in auths.EnumerateObject()) file._auths.Add((auth.Name, auth.Value.Clone()));
            }
            if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object)
            {
                foreach (var helper in helpers.EnumerateObject())
                {
                    if (helper.Value.ValueKind == JsonValueKind.String && helper.Value.GetString() is { Length: > 0 } name) file._helpers.Add((helper.Name, name));
                }
            }
            if (root.TryGetProperty("credsStore", out var store) && store.ValueKind == JsonValueKind.String && store.GetString() is { Length: > 0 } storeName)
            {
                file.CredsStore = storeName;
            }
        }
        catch (JsonException e)
        {
            // Never the parser's message, nor the exception itself: for a bad literal it quotes the text there
            // ("'tr0ub4dor' is an invalid JSON literal"), which in this file can be a password. Only where it is.
            throw ErrorCatalogue.CredentialFileInvalid.ToException(path, $"it is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} of that line)");
        }
        return file;
    }

    /// <summary>The helper named for this registry in <c>credHelpers</c>, if any.</summary>
    public string? HelperFor(string registry)
    {
        var wanted = RegistryKeys.Normalize(registry);
        return _helpers.FirstOrDefault(h => RegistryKeys.Normalize(h.Key) == wanted).Helper;
    }

    /// <summary>
    /// The <c>auths</c> entry for this registry holding a secret. A host key is preferred to a namespaced one
    /// (<c>quay.io/team</c>); an entry without a secret (the placeholder Docker leaves when a store holds it) is skipped.
    /// </summary>
    public RegistryCredential? CredentialFor(string registry)
    {
        var wanted = RegistryKeys.Normalize(registry);
        var candidates = _auths.Where(a => RegistryKeys.Normalize(a.Key) == wanted).OrderBy(a => RegistryKeys.HasNamespace(a.Key) ? 1 : 0);
        foreach (var (key, entry) in candidates)
        {
            if (Parse(key, entry) is { } credential) return credential;
        }
        return null;
    }

    private RegistryCredential? Parse(string key, JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object) return null;
        var source = $"{Path} (auths \"{key}\")";
        string? user = null, password = null;
        if (String(entry, "auth") is { } encoded)
        {
            string decoded;
            try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded)); }
            catch (FormatException) { throw ErrorCatalogue.CredentialFileInvalid.ToException(Path, $"the \"auth\" of \"{key}\" is not base64"); }
            var colon = decoded.IndexOf(':');
            if (colon < 0) throw ErrorCatalogue.CredentialFileInvalid.ToException(Path, $"the \"auth\" of \"{key}\" is not base64 of user:password");
            (user, password) = (decoded[..colon], decoded[(colon + 1)..]);
        }
        user ??= String(entry, "username");
        password ??= String(entry, "password");
        if (String(entry, "identitytoken") is { } token) return RegistryCredential.FromIdentityToken(token, source, user);
        if (!string.IsNullOrEmpty(user) && password is not null) return RegistryCredential.FromPassword(user, password, source);
        return null;
    }

    private static string? String(JsonElement entry, string name)
        => entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;
}
