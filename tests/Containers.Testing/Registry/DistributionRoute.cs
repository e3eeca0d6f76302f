using System.Text.RegularExpressions;

namespace Containers.Testing.Registry;

/// <summary>Which endpoint of the distribution API a path names.</summary>
internal enum Endpoint
{
    None,
    Base,
    UploadStart,
    Upload,
    Blob,
    Manifest,
    Tags,
    Referrers,
}

/// <summary>
/// A request path parsed by the spec's grammar: <c>/v2/&lt;name&gt;/…</c>, where a name is path components of lower-case
/// letters and digits joined by <c>.</c>, <c>_</c>, <c>__</c> or dashes, separated by slashes.
/// </summary>
internal sealed partial record DistributionRoute(Endpoint Endpoint, string Repository, string Reference)
{
    public static readonly DistributionRoute NotFound = new(Endpoint.None, "", "");

    public static DistributionRoute Parse(string path)
    {
        if (path is "/v2/" or "/v2") return new DistributionRoute(Endpoint.Base, "", "");
        var match = RoutePattern().Match(path);
        if (!match.Success) return NotFound;
        var endpoint = match.Groups["kind"].Value switch
        {
            "blobs/uploads" => match.Groups["ref"].Value.Length == 0 ? Endpoint.UploadStart : Endpoint.Upload,
            "blobs" => Endpoint.Blob,
            "manifests" => Endpoint.Manifest,
            "referrers" => Endpoint.Referrers,
            _ => Endpoint.Tags,
        };
        return new DistributionRoute(endpoint, match.Groups["name"].Value, match.Groups["ref"].Value);
    }

    /// <summary>A tag: <c>[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}</c>.</summary>
    public static bool IsTag(string reference) => TagPattern().IsMatch(reference);

    private const string Component = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";

    [GeneratedRegex("^/v2/(?<name>" + Component + "(?:/" + Component + ")*)/(?:(?<kind>blobs/uploads)/(?<ref>[^/]*)|(?<kind>blobs|manifests|referrers)/(?<ref>[^/]+)|(?<kind>tags)/list)\\z")]
    private static partial Regex RoutePattern();

    [GeneratedRegex("^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\\z")]
    private static partial Regex TagPattern();
}
