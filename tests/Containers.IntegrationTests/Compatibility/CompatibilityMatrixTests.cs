using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.Compatibility;

/// <summary>
/// Drop-in compatibility, proven side by side: every configuration of <see cref="CompatibilityMatrix"/> is run with the
/// SDK's built-in and with ours, and the inferred base image, the diagnostics, the tags and the image config must be
/// the same, except for the differences each case names (docs/compatibility.md says why each one is intended).
/// </summary>
[Collection(CompatibilityCollection.Name)]
public sealed class CompatibilityMatrixTests(CompatibilityFixture fixture, ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static TheoryData<string> CaseNames() => new(CompatibilityMatrix.Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Ours_MatchesTheBuiltIn(string name)
    {
        var c = CompatibilityMatrix.Get(name);
        var run = await fixture.MatrixAsync();
        var builtInOutcome = run.Outcome(name, Tool.BuiltIn);
        var oursOutcome = run.Outcome(name, Tool.Ours);

        var builtIn = ComparisonView.Of(c, builtInOutcome);
        var ours = ComparisonView.Of(c, oursOutcome);
        var expected = (JsonObject)builtIn.DeepClone();
        foreach (var difference in c.Differences) difference.AdjustBuiltIn(expected);
        output.WriteLine($"ours:\n{ours.ToJsonString(Indented)}");

        Assert.True(JsonNode.DeepEquals(expected, ours),
            $"'{name}' differs from the built-in{(c.Differences.Count > 0 ? $" (after {string.Join(", ", c.Differences)})" : "")}.\n"
            + $"expected (built-in):\n{expected.ToJsonString(Indented)}\nours:\n{ours.ToJsonString(Indented)}\n"
            + $"--- built-in log\n{Tail(builtInOutcome)}\n--- our log\n{Tail(oursOutcome)}");
        if (!c.InferenceOnly)
        {
            Assert.True(ours["Succeeded"]!.GetValue<bool>(), Tail(oursOutcome));
            Assert.NotNull(ours["Config"]);
        }
    }

    [Fact]
    public void Matrix_HasAtLeast25PublishedConfigurations_CoveringEveryArea()
    {
        var published = CompatibilityMatrix.Cases.Where(c => !c.InferenceOnly).ToList();
        var inferred = CompatibilityMatrix.Cases.Where(c => c.InferenceOnly).ToList();
        string All(IEnumerable<CompatibilityCase> cases) => string.Concat(cases.Select(c => c.Settings + string.Concat(c.Build.Keys)));

        Assert.True(published.Count >= 25, $"only {published.Count} published configurations");
        Assert.Equal(Enum.GetValues<AppKind>().Order(), published.Select(c => c.App).Distinct().Order());
        Assert.Contains(published, c => c.Build.ContainsKey("SelfContained"));
        foreach (var setting in new[]
                 {
                     ">Entrypoint</ContainerAppCommandInstruction>", ">DefaultArgs</ContainerAppCommandInstruction>", ">None</ContainerAppCommandInstruction>",
                     "<ContainerPort ", "<ContainerEnvironmentVariable ", "<ContainerLabel ", "<ContainerUser>", "<ContainerWorkingDirectory>",
                     "<ContainerImageTag>", "<ContainerImageTags>", "<ContainerFamily>", "<ContainerAppCommand ", "<ContainerAppCommandArgs ",
                     "<ContainerDefaultArgs ", "<ContainerEntrypoint ", "<ContainerEntrypointArgs ", "<ContainerImageFormat>", "<ContainerRepository>",
                 })
        {
            Assert.Contains(setting, All(published));
        }
        foreach (var setting in new[] { "<PublishAot>", "<PublishTrimmed>", "<SelfContained>", "<InvariantGlobalization>", "<ContainerFamily>", "linux-musl-" })
        {
            Assert.Contains(setting, All(inferred));
        }
        Assert.Contains(inferred, c => c.App == AppKind.Web);
        Assert.Contains(inferred, c => c.App == AppKind.Worker);
    }

    [Fact]
    public void EveryKnownDifference_IsExplainedInTheDocs()
    {
        var docs = File.ReadAllText(RepositoryRoot.Combine("docs", "compatibility.md"));
        var ids = CompatibilityMatrix.Cases.SelectMany(c => c.Differences).Select(d => d.Id).Distinct().ToList();

        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Contains($"<a id=\"{id}\"></a>", docs));
    }

    [Fact]
    public async Task OurTargetOutputs_DescribeThePushedImage_AndTheResultFileSaysTheSame()
    {
        var c = CompatibilityMatrix.Get("console-tags");
        var run = await fixture.MatrixAsync();
        var ours = run.Outcome(c.Name, Tool.Ours);
        var publish = ours.Publish!;
        var image = ours.Image!;
        var registry = ours.Registry;

        var digest = publish.Property("GeneratedContainerDigest")!;
        var (_, mediaType) = await RegistryReader.ManifestAsync(registry, c.TargetRepository, digest);
        Assert.Equal(mediaType, publish.Property("GeneratedContainerMediaType"));
        Assert.True(JsonNode.DeepEquals(image.Config, JsonNode.Parse(publish.Property("GeneratedContainerConfiguration")!)));
        Assert.True(JsonNode.DeepEquals(image.Manifest, JsonNode.Parse(publish.Property("GeneratedContainerManifest")!)));

        var item = Assert.Single(publish.Items("GeneratedContainer"))!;
        Assert.Equal(digest, item["ManifestDigest"]!.GetValue<string>());
        Assert.Equal(mediaType, item["ManifestMediaType"]!.GetValue<string>());
        Assert.Equal(publish.Property("GeneratedContainerConfiguration"), item["Configuration"]!.GetValue<string>());
        Assert.Equal(publish.Property("GeneratedContainerManifest"), item["Manifest"]!.GetValue<string>());
        Assert.Equal(
            new[] { "1.0", "1.0.1", "latest" }.Select(t => $"{registry}/{c.TargetRepository}:{t}"),
            publish.Items("GeneratedContainerName").Select(n => n!["Identity"]!.GetValue<string>()).Order(StringComparer.Ordinal));

        var resultFile = publish.Property("ContainerResultFile");
        Assert.False(string.IsNullOrEmpty(resultFile), "ContainerResultFile is not set");
        Assert.EndsWith("/bin/Release/net10.0/ConsoleApp.container.json", resultFile);
        Assert.NotNull(ours.ResultFileText);
        var result = JsonNode.Parse(ours.ResultFileText)!;
        Assert.Equal(digest, result["digest"]!.GetValue<string>());
        Assert.True(result["pushed"]!.GetValue<bool>());
        Assert.Equal(["1.0", "1.0.1", "latest"], result["tags"]!.AsArray().Select(t => t!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal($"{registry}/{c.TargetRepository}:1.0", result["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task AutoGenerateImageTag_IsTheUtcTimeOnA24HourClock()
    {
        var run = await fixture.MatrixAsync();
        var image = run.Outcome("console-auto-tag", Tool.Ours).Image!;

        var tag = Assert.Single(image.Tags);
        var time = DateTime.ParseExact(tag, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        Assert.InRange(time, DateTime.UtcNow - run.Duration - TimeSpan.FromMinutes(1), DateTime.UtcNow + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task TheMatrix_ReportsItsCost()
    {
        var run = await fixture.MatrixAsync();
        output.WriteLine($"{CompatibilityMatrix.Cases.Count} configurations ({CompatibilityMatrix.Cases.Count(c => !c.InferenceOnly)} published) x 2 tools: "
            + $"{run.ProcessCount} dotnet processes in {run.Duration.TotalSeconds:0} s");
        Assert.True(run.Duration < TimeSpan.FromMinutes(20), $"the matrix took {run.Duration}");
    }

    private static string Tail(ToolOutcome outcome)
    {
        var log = outcome.Log;
        return log.Length <= 4000 ? log : log[^4000..];
    }
}
