using System.Text.RegularExpressions;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>
/// The OCI 1.1 referrers fallback tags (<c>sha256-&lt;hex&gt;</c>): on a registry without the referrers API they list an
/// image's SBOM, provenance and signature (docs/supply-chain.md). They are not the image's tags, so tests that compare a
/// repository's tags with the requested ones, or with the built-in's, leave them out.
/// </summary>
public static partial class ReferrerTags
{
    public static bool IsFallbackTag(string tag) => FallbackTag().IsMatch(tag);

    public static List<string> Without(IEnumerable<string> tags) => tags.Where(t => !IsFallbackTag(t)).ToList();

    [GeneratedRegex("^sha256-[0-9a-f]{64}$")]
    private static partial Regex FallbackTag();
}
