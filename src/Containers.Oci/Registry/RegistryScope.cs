namespace Containers.Oci.Registry;

/// <summary>
/// Token scopes of the distribution auth spec, <c>repository:&lt;name&gt;:&lt;actions&gt;</c>. A push asks for
/// <c>pull,push</c> on its repository (and <c>pull</c> on a mount's source), so one token serves the whole blob upload.
/// </summary>
internal static class RegistryScope
{
    public static string Pull(string repository) => $"repository:{repository}:pull";

    public static string Push(string repository) => $"repository:{repository}:pull,push";

    public static bool IncludesPush(IEnumerable<string> scopes)
        => scopes.Any(s => Actions(s).Contains("push", StringComparer.Ordinal) || Actions(s).Contains("*", StringComparer.Ordinal));

    /// <summary>One entry per resource with the union of its actions, sorted: the scopes to ask for and a stable cache key.</summary>
    public static IReadOnlyList<string> Merge(IEnumerable<string> scopes)
    {
        var byResource = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var scope in scopes.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            var lastColon = scope.LastIndexOf(':');
            if (lastColon <= 0)
            {
                byResource.TryAdd(scope, new SortedSet<string>(StringComparer.Ordinal));
                continue;
            }
            var resource = scope[..lastColon];
            if (!byResource.TryGetValue(resource, out var actions)) byResource[resource] = actions = new SortedSet<string>(StringComparer.Ordinal);
            actions.UnionWith(Actions(scope));
        }
        return byResource.Select(r => r.Value.Count == 0 ? r.Key : $"{r.Key}:{string.Join(',', r.Value)}").ToList();
    }

    private static string[] Actions(string scope)
    {
        var lastColon = scope.LastIndexOf(':');
        return lastColon <= 0 ? [] : scope[(lastColon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
