using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Containers.Oci.Errors;

namespace Containers.Oci.Registry.Operations;

/// <summary>
/// The tags of a repository: <c>GET /v2/&lt;name&gt;/tags/list</c>, following the <c>Link: &lt;…&gt;; rel="next"</c>
/// pages that the distribution spec lets a registry cut a long list into. Sorted, as the spec asks registries to
/// answer, so the result is the same whichever pages came first.
/// </summary>
internal sealed partial class TagList(RegistryTransport transport)
{
    /// <summary>A registry that keeps answering with a next page is cut off here rather than followed forever.</summary>
    private const int MaxPages = 1000;

    public async Task<IReadOnlyList<string>> RunAsync(string repository, CancellationToken cancellationToken)
    {
        var tags = new SortedSet<string>(StringComparer.Ordinal);
        Uri? next = transport.Api($"{repository}/tags/list");
        for (var page = 0; next is not null && page < MaxPages; page++)
        {
            using var request = RegistryRequest.Create(HttpMethod.Get, next, [RegistryScope.Pull(repository)]);
            using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw await RegistryFailure.FromResponseAsync(response, transport.Registry, repository, cancellationToken).ConfigureAwait(false);
            }
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            foreach (var tag in Parse(body, repository)) tags.Add(tag);
            next = NextPage(response, next);
        }
        return tags.ToList();
    }

    private IReadOnlyList<string> Parse(byte[] body, string repository)
    {
        try
        {
            return JsonSerializer.Deserialize<TagListBody>(body)?.Tags?.Where(t => t is not null).ToList() ?? [];
        }
        catch (JsonException e)
        {
            throw ErrorCatalogue.ManifestPullFailed.ToException(e, $"{transport.Registry}/{repository}", $"its tag list is not JSON ({e.Message.TrimEnd('.')})");
        }
    }

    /// <summary>The next page's address from the Link header, relative to the page just read; null on the last page.</summary>
    internal static Uri? NextPage(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var values)) return null;
        foreach (var value in values)
        {
            var match = NextLink().Match(value);
            if (match.Success && Uri.TryCreate(current, match.Groups[1].Value, out var uri)) return uri;
        }
        return null;
    }

    [GeneratedRegex(@"<([^>]+)>\s*;\s*rel=""?next""?", RegexOptions.IgnoreCase)]
    private static partial Regex NextLink();

    private sealed record TagListBody([property: JsonPropertyName("tags")] List<string>? Tags);
}
