using Containers.Oci.Model;

namespace Containers.Oci.Registry;

/// <summary>A subject's referrers, and whether the registry keeps them itself (the API) or the client must (the tag schema).</summary>
/// <param name="FallbackIndex">The fallback tag's index as stored, when the tag schema is in use and the tag exists.</param>
public sealed record RegistryReferrers(bool ApiSupported, IReadOnlyList<Descriptor> Manifests, byte[]? FallbackIndex = null)
{
    /// <summary>The tag the referrers tag schema keeps a subject's referrers under: <c>sha256-&lt;hex&gt;</c>.</summary>
    public static string FallbackTag(Digest subject) => $"{subject.Algorithm}-{subject.Encoded}";
}
