using System.Text.RegularExpressions;
using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.EndToEnd;

/// <summary>
/// Issue 13, a fresh CI agent: a second clone in another folder, with an empty obj/ (so an empty layer cache) and its
/// own empty content cache, publishes a one-line edit, committed a day later (so the image's time moves, as it does
/// with every commit in CI), over the image the first clone pushed. Only the app layer is
/// written and uploaded: the packages and project references layers are found in the registry by their recorded keys.
/// The detailed log and the registry's requests (seen through a proxy) agree, and the image runs.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed partial class FreshAgentTests(RegistryFixture registry)
{
    [Fact]
    public async Task A_fresh_clone_with_empty_caches_writes_and_uploads_only_the_edited_app_layer_and_the_image_runs()
    {
        await registry.EnsureBaseImagesAsync();
        using var origin = await TestProject.FromAssetAsync("LayeredApp", "App");
        using var laptop = await origin.CloneAsync("laptop");
        using var agent = await origin.CloneAsync("ci-agent");
        await using var proxy = new FaultProxy(registry.Port, (_, _) => Fault.None);   // only to watch the requests
        var repository = RegistryFixture.UniqueRepository("fresh-agent");
        var image = $"{proxy.Registry}/{repository}:main";

        await PublishAsync(laptop, proxy.Registry, repository, Path.Combine(laptop.Directory, "content-cache"));
        var firstCreated = (await Skopeo.InspectConfigAsync(image))["created"]!.GetValue<string>();
        var program = Path.Combine(agent.Directory, "Program.cs");
        await File.WriteAllTextAsync(program, (await File.ReadAllTextAsync(program)).Replace("layered-app: ", "layered-app (edited): ", StringComparison.Ordinal));
        await CommitADayLaterAsync(agent.Directory);
        Assert.False(Directory.Exists(Path.Combine(agent.Directory, "obj")));
        var before = proxy.Requests.Count;

        var edit = await PublishAsync(agent, proxy.Registry, repository, Path.Combine(agent.Directory, "content-cache"));

        var log = edit.StandardOutput;
        Assert.Matches(@"\(2 reused, 1 written\); 2 blobs uploaded", log);
        Assert.Matches(@"Layer 'packages: /app/': .*\(reused from the registry: " + Regex.Escape($"{proxy.Registry}/{repository}") + @"\)", log);
        Assert.Matches(@"Layer 'project references: /app/': .*\(reused from the registry: ", log);
        var app = AppLayer().Match(log);
        Assert.True(app.Success, "the app layer is written");

        // What the log says was uploaded is what the registry received: of the image's blobs, the app layer and the
        // config, nothing else. (The image's referrers, its SBOM and provenance, are small documents of their own.)
        var logged = Uploaded().Matches(log).Select(m => m.Groups["digest"].Value).Order(StringComparer.Ordinal).ToList();
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(await Skopeo.InspectRawAsync(image))!;
        var imageBlobs = manifest["layers"]!.AsArray().Select(l => l!["digest"]!.GetValue<string>()).Append(manifest["config"]!["digest"]!.GetValue<string>()).ToHashSet();
        var allReceived = proxy.Requests.Skip(before)
            .Where(r => r.Method == "PUT" && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal))
            .Select(r => Regex.Match(Uri.UnescapeDataString(r.Query), "digest=(sha256:[0-9a-f]{64})").Groups[1].Value)
            .ToList();
        var received = allReceived.Where(imageBlobs.Contains).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, received.Count);
        Assert.True(allReceived.Count <= received.Count + 2, $"besides the image's blobs only the SBOM's and the provenance's: {string.Join(", ", allReceived)}");
        Assert.Equal(received.Select(d => d[..19]), logged.Where(d => imageBlobs.Any(b => b.StartsWith(d, StringComparison.Ordinal))));
        Assert.Equal(allReceived.Select(d => d[..19]).Order(StringComparer.Ordinal), logged);   // the referrers' uploads are logged too
        Assert.Contains(app.Groups["digest"].Value, received);
        Assert.DoesNotContain(proxy.Requests.Skip(before), r => r.Method == "PATCH" && r.ContentLength > 1_000_000);   // no package layer on the wire

        // The SBOM's facts of the base come from the earlier image's SBOM (same base): the base's layers are not downloaded.
        Assert.Contains("taken from the SBOM of", log, StringComparison.Ordinal);
        var baseManifest = System.Text.Json.Nodes.JsonNode.Parse(await Skopeo.InspectRawAsync($"{proxy.Registry}/dotnet/runtime:10.0"))!;
        var baseLayers = baseManifest["layers"]!.AsArray().Select(l => l!["digest"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain(proxy.Requests.Skip(before), r => r.Method == "GET" && baseLayers.Any(d => r.Path.EndsWith(d, StringComparison.Ordinal)));

        Assert.NotEqual(firstCreated, (await Skopeo.InspectConfigAsync(image))["created"]!.GetValue<string>());   // a new commit's image time

        await Podman.PullAsync(image);
        Assert.Contains("layered-app (edited): {\"greeting\":\"hello from a project reference\",\"sqlite\":\"ok\"}", await Podman.RunAsync(image));
        await Podman.RemoveImageAsync(image);
    }

    private static async Task CommitADayLaterAsync(string directory)
    {
        var head = (await ProcessRunner.RunAsync("git", ["log", "-1", "--format=%ct"], new ProcessOptions { WorkingDirectory = directory })).StandardOutput.Trim();
        var later = (long.Parse(head, System.Globalization.CultureInfo.InvariantCulture) + 86_400).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ProcessRunner.RunAsync("git", ["-c", "user.email=tests@example.invalid", "-c", "user.name=tests", "commit", "-q", "-a", "-m", "a one-line edit", "--date", $"@{later}"],
            new ProcessOptions { WorkingDirectory = directory, Environment = new Dictionary<string, string?> { ["GIT_COMMITTER_DATE"] = $"@{later} +0000" } });
    }

    private Task<ProcessResult> PublishAsync(TestProject project, string destination, string repository, string contentCache)
        => project.PublishContainerAsync(
            [$"ContainerRegistry={destination}", $"ContainerRepository={repository}", "ContainerImageTag=main",
             $"ContainerBaseImage={destination}/dotnet/runtime:10.0", $"ContainerCacheDirectory={contentCache}",
             // By default the SDK writes the commit's id into every project assembly's informational version, so a new
             // commit changes the project references layer too (docs/layering.md); CI that wants it reused turns that off.
             "IncludeSourceRevisionInInformationalVersion=false"],
            expectSuccess: true, "-v:d");

    /// <summary>The push's line for each blob it sent, e.g. <c>layer sha256:0123456789ab: uploaded from this build (1.2 KB)</c>.</summary>
    [GeneratedRegex(@"(?:layer|config) (?<digest>sha256:[0-9a-f]{12}): uploaded")]
    private static partial Regex Uploaded();

    [GeneratedRegex(@"Layer 'app: /app/': \d+ entries, \d+ bytes, (?<digest>sha256:[0-9a-f]{64}) \(written\)")]
    private static partial Regex AppLayer();
}
