namespace Containers.Oci.SupplyChain;

/// <summary>
/// The CI run a build belongs to, from the variables each well-known CI system sets: the only part of the provenance
/// that differs between two builds of the same inputs. The caller reads the environment (<see cref="Variables"/>).
/// </summary>
public sealed record CiRun(string System, string InvocationId)
{
    /// <summary>Every variable <see cref="From"/> reads, so a caller can pass exactly those.</summary>
    public static readonly IReadOnlyList<string> Variables =
    [
        "GITHUB_ACTIONS", "GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT",
        "GITLAB_CI", "CI_JOB_URL",
        "TF_BUILD", "SYSTEM_COLLECTIONURI", "SYSTEM_TEAMPROJECT", "BUILD_BUILDID",
        "BUILD_URL",
    ];

    public static CiRun? From(IReadOnlyDictionary<string, string> environment)
    {
        string? Get(string name) => environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        if (Get("GITHUB_ACTIONS") == "true" && Get("GITHUB_RUN_ID") is { } run)
        {
            var server = Get("GITHUB_SERVER_URL")?.TrimEnd('/') ?? "";
            return new CiRun("github-actions", $"{server}/{Get("GITHUB_REPOSITORY")}/actions/runs/{run}/attempts/{Get("GITHUB_RUN_ATTEMPT") ?? "1"}");
        }
        if (Get("GITLAB_CI") == "true" && Get("CI_JOB_URL") is { } job) return new CiRun("gitlab-ci", job);
        if (Get("TF_BUILD") is { } tf && tf.Equals("true", StringComparison.OrdinalIgnoreCase) && Get("BUILD_BUILDID") is { } build)
        {
            return new CiRun("azure-pipelines", $"{Get("SYSTEM_COLLECTIONURI")?.TrimEnd('/')}/{Get("SYSTEM_TEAMPROJECT")}/_build/results?buildId={build}");
        }
        if (Get("BUILD_URL") is { } url) return new CiRun("jenkins", url);
        return null;
    }
}
