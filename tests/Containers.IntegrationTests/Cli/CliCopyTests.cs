using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;
using Containers.IntegrationTests.Stores;

namespace Containers.IntegrationTests.Cli;

/// <summary>
/// The installed tool's copy between every pair of places (registry, OCI layout, OCI archive, podman) and to two
/// registries at once, checked with skopeo and podman rather than the engine; validate on a good and a tampered layout.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class CliCopyTests(RegistryFixture registry, CliCopySeeds seeds, SecondRegistryFixture second)
    : IClassFixture<CliCopySeeds>, IClassFixture<SecondRegistryFixture>
{
    private static readonly StoreKind[] Kinds = [StoreKind.Registry, StoreKind.OciLayout, StoreKind.Archive, StoreKind.Podman];

    public static TheoryData<StoreKind, StoreKind> Pairs()
    {
        var pairs = new TheoryData<StoreKind, StoreKind>();
        foreach (var from in Kinds) foreach (var to in Kinds) pairs.Add(from, to);
        return pairs;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Copy_BetweenAnyTwoPlaces_ArrivesWithTheSameDigest(StoreKind from, StoreKind to)
    {
        var tool = await CliTool.GetAsync();
        var source = (await seeds.GetAsync(registry))[from];
        var target = CopyPlace.Fresh(to, registry, seeds.Local.Temp);
        if (to == StoreKind.Podman) seeds.Local.RemoveLater(target.PodmanName);

        var result = await tool.RunAsync("copy", "--json", CliPlaces.Text(source), CliPlaces.Text(target));

        var reported = JsonNode.Parse(result.StandardOutput)!;
        if (to == StoreKind.Podman)
        {
            Assert.Equal(seeds.ConfigDigest, await target.PodmanConfigDigestAsync());
            return;
        }
        var raw = await target.RawManifestAsync(seeds.Local.Temp);
        if (from == StoreKind.Podman)
        {
            // podman saves with layers of its own compression: the same config, so the same image, under another manifest.
            Assert.Equal(seeds.ConfigDigest, JsonNode.Parse(raw)!["config"]!["digest"]!.GetValue<string>());
            return;
        }
        Assert.Equal(seeds.ManifestDigest, Oci.Model.Digest.Sha256(raw));
        Assert.Equal(seeds.ManifestDigest.ToString(), reported["digest"]!.GetValue<string>());
    }

    [Fact]
    public async Task Copy_ToTwoRegistriesAtOnce_GivesBothTheSourcesDigest()
    {
        var tool = await CliTool.GetAsync();
        var source = (await seeds.GetAsync(registry))[StoreKind.Registry];
        var repository = RegistryFixture.UniqueRepository("cli-two");
        var first = $"{registry.Registry}/{repository}:2.0";
        var other = $"{second.Registry}/{repository}:2.0";

        var result = await tool.RunAsync("copy", "--json", source.Address, first, other);

        var written = JsonNode.Parse(result.StandardOutput)!["written"]!.AsArray();
        Assert.Equal([first, other], written.SelectMany(w => w!["names"]!.AsArray()).Select(n => n!.GetValue<string>()));
        foreach (var reference in new[] { first, other })
        {
            Assert.Equal(seeds.ManifestDigest, await new CopyPlace(StoreKind.Registry, reference, null).DigestAsync(seeds.Local.Temp));
        }
    }

    [Fact]
    public async Task Copy_ToADockerArchive_IsLoadedByPodman_AsTheSameImage()
    {
        var tool = await CliTool.GetAsync();
        var source = (await seeds.GetAsync(registry))[StoreKind.Registry];
        var archive = seeds.Local.Temp.Combine($"docker-{Guid.NewGuid():N}.tar");
        var name = CliFixture.UniqueName("docker-archive");

        await tool.RunAsync("copy", source.Address, $"docker-archive:{archive}:{name}:3.0");
        seeds.Local.RemoveLater($"localhost/{name}:3.0");
        await ProcessRunner.RunAsync("podman", ["load", "-q", "-i", archive], new ProcessOptions { Timeout = TimeSpan.FromMinutes(2) });

        var id = await ProcessRunner.RunAsync("podman", ["image", "inspect", "--format", "{{.Id}}", $"localhost/{name}:3.0"]);
        Assert.Equal(seeds.ConfigDigest, "sha256:" + id.StandardOutput.Trim());
    }

    [Fact]
    public async Task Validate_PassesOnACopy_AndFailsWith5702_OnALayoutWithATamperedLayer()
    {
        var tool = await CliTool.GetAsync();
        var source = (await seeds.GetAsync(registry))[StoreKind.Registry];
        var layout = CopyPlace.Fresh(StoreKind.OciLayout, registry, seeds.Local.Temp);
        await tool.RunAsync("copy", source.Address, CliPlaces.Text(layout));

        var good = await tool.RunAsync("validate", CliPlaces.Text(layout));
        Assert.Contains("is valid", good.StandardOutput);

        var manifest = JsonNode.Parse(await layout.RawManifestAsync(seeds.Local.Temp))!;
        var layer = manifest["layers"]![0]!["digest"]!.GetValue<string>();
        var blob = Path.Combine(layout.Address, "blobs", "sha256", layer["sha256:".Length..]);
        var bytes = await File.ReadAllBytesAsync(blob);
        bytes[bytes.Length / 2] ^= 0xFF;   // same size, other bytes: only a digest check can tell
        await File.WriteAllBytesAsync(blob, bytes);

        var bad = await tool.RunAsync(["validate", "--json", CliPlaces.Text(layout)], expectSuccess: false);

        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("error CONTAINER5702:", bad.StandardError);
        Assert.Contains(layer, bad.StandardError);
        Assert.DoesNotContain("   at ", bad.StandardError);
        var document = JsonNode.Parse(bad.StandardOutput)!;
        Assert.False(document["valid"]!.GetValue<bool>());
        Assert.Equal("CONTAINER5702", document["error"]!["code"]!.GetValue<string>());
        Assert.Contains(document["problems"]!.AsArray(), p => p!.GetValue<string>().Contains(layer, StringComparison.Ordinal));
    }
}
