using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;
using Containers.IntegrationTests.Stores;

namespace Containers.IntegrationTests.Cli;

/// <summary>digest, inspect, tag and ls against the real registry, each checked against skopeo's reading.</summary>
[Collection(RegistryCollection.Name)]
public sealed class CliRegistryCommandTests(RegistryFixture registry, CliCopySeeds seeds) : IClassFixture<CliCopySeeds>
{
    [Fact]
    public async Task Digest_AndInspectRaw_AreWhatSkopeoReads()
    {
        var tool = await CliTool.GetAsync();
        var seed = (await seeds.GetAsync(registry))[StoreKind.Registry];
        var raw = await seed.RawManifestAsync(seeds.Local.Temp);

        var digest = await tool.RunAsync("digest", seed.Address);
        var output = seeds.Local.Temp.Combine($"raw-{Guid.NewGuid():N}.json");
        await ProcessRunner.RunAsync("sh", ["-c", "out=\"$1\"; shift; exec \"$@\" > \"$out\"", "sh", output, tool.Executable, "inspect", "--raw", seed.Address],
            new ProcessOptions { Environment = CliTool.Environment() });

        Assert.Equal(seeds.ManifestDigest.ToString(), digest.StandardOutput.Trim());
        Assert.Equal(raw, await File.ReadAllBytesAsync(output));
    }

    [Fact]
    public async Task Inspect_Json_ListsTheLayersWithTheirSizes_AndTheConfig()
    {
        var tool = await CliTool.GetAsync();
        var seed = (await seeds.GetAsync(registry))[StoreKind.Registry];
        var manifest = JsonNode.Parse(await seed.RawManifestAsync(seeds.Local.Temp))!;

        var document = JsonNode.Parse((await tool.RunAsync("inspect", "--json", seed.Address)).StandardOutput)!;

        Assert.Equal("linux/amd64", document["platform"]!.GetValue<string>());
        Assert.Equal(manifest["layers"]!.AsArray().Select(l => (l!["digest"]!.GetValue<string>(), l["size"]!.GetValue<long>())),
            document["layers"]!.AsArray().Select(l => (l!["digest"]!.GetValue<string>(), l["size"]!.GetValue<long>())));
        Assert.Contains("APP_UID=1654", document["config"]!["env"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public async Task Tag_AddsTags_ThatLsLists_AndSkopeoResolvesToTheSameDigest()
    {
        var tool = await CliTool.GetAsync();
        var seed = (await seeds.GetAsync(registry))[StoreKind.Registry];
        var repository = RegistryFixture.UniqueRepository("cli-tag");
        await tool.RunAsync("copy", seed.Address, $"{registry.Registry}/{repository}:1.0.0");

        await tool.RunAsync("tag", $"{registry.Registry}/{repository}:1.0.0", "1.0", "latest");
        var listed = await tool.RunAsync("ls", $"{registry.Registry}/{repository}");

        Assert.Equal(["1.0", "1.0.0", "latest"], listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var tag in new[] { "1.0", "latest" })
        {
            Assert.Equal(seeds.ManifestDigest, await new CopyPlace(StoreKind.Registry, $"{registry.Registry}/{repository}:{tag}", null).DigestAsync(seeds.Local.Temp));
        }
    }

    [Fact]
    public async Task Ls_OfSomethingThatIsNoRegistry_Is5705_AndABadTag_IsACodedError()
    {
        var tool = await CliTool.GetAsync();
        var seed = (await seeds.GetAsync(registry))[StoreKind.Registry];

        var notRegistry = await tool.RunAsync(["ls", "oci-layout:/tmp/nowhere"], expectSuccess: false);
        var badTag = await tool.RunAsync(["tag", seed.Address, "-bad"], expectSuccess: false);

        Assert.Equal(1, notRegistry.ExitCode);
        Assert.Contains("error CONTAINER5705:", notRegistry.StandardError);
        Assert.NotEqual(0, badTag.ExitCode);
        Assert.Matches("error CONTAINER20(07|10):|error:", badTag.StandardError);
    }
}
