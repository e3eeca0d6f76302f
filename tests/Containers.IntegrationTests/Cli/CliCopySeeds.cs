using Containers.IntegrationTests.Infrastructure;
using Containers.IntegrationTests.Stores;
using Containers.Oci.Model;

namespace Containers.IntegrationTests.Cli;

/// <summary>
/// One small image (the linux/amd64 image of the fixture's runtime-deps, copied by the tool into a repository of its own) in each kind of
/// place, made once per class by the tool itself, for the copy tests to start from. The registry seed's manifest,
/// read with skopeo, is what every copy must keep.
/// </summary>
public sealed class CliCopySeeds : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<StoreKind, CopyPlace>? _seeds;

    public CliFixture Local { get; } = new();

    public Digest ManifestDigest { get; private set; }

    public string ConfigDigest { get; private set; } = "";

    public async Task<IReadOnlyDictionary<StoreKind, CopyPlace>> GetAsync(RegistryFixture registry)
    {
        await _gate.WaitAsync();
        try
        {
            return _seeds ??= await CreateAsync(registry);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Dictionary<StoreKind, CopyPlace>> CreateAsync(RegistryFixture registry)
    {
        await registry.EnsureBaseImagesAsync();
        var tool = await CliTool.GetAsync();
        var seeds = new Dictionary<StoreKind, CopyPlace> { [StoreKind.Registry] = CopyPlace.Fresh(StoreKind.Registry, registry, Local.Temp) };
        // The fixture base is an index; the seed is its linux/amd64 image, which every place (podman too) holds as it is.
        await tool.RunAsync("copy", "--platform", "linux/amd64", registry.BaseImage("runtime-deps").ToString(), CliPlaces.Text(seeds[StoreKind.Registry]));
        ManifestDigest = await seeds[StoreKind.Registry].DigestAsync(Local.Temp);
        ConfigDigest = OciJson.Deserialize<ImageManifest>(await seeds[StoreKind.Registry].RawManifestAsync(Local.Temp)).Config.Digest;
        foreach (var kind in new[] { StoreKind.OciLayout, StoreKind.Archive, StoreKind.Podman })
        {
            seeds[kind] = CopyPlace.Fresh(kind, registry, Local.Temp);
            if (kind == StoreKind.Podman) Local.RemoveLater(seeds[kind].PodmanName);
            await tool.RunAsync("copy", CliPlaces.Text(seeds[StoreKind.Registry]), CliPlaces.Text(seeds[kind]));
        }
        return seeds;
    }

    public Task InitializeAsync() => Local.InitializeAsync();

    public Task DisposeAsync() => Local.DisposeAsync();
}

/// <summary>How the tool names a <see cref="CopyPlace"/> on its command line.</summary>
public static class CliPlaces
{
    public static string Text(CopyPlace place) => place.Kind switch
    {
        StoreKind.Registry or StoreKind.LoopbackRegistry => place.Address,
        StoreKind.OciLayout => $"oci-layout:{place.Address}:{place.Name}",
        StoreKind.Archive => $"oci-archive:{place.Address}:{place.Name}",
        _ => $"podman:{place.Address}",
    };
}
