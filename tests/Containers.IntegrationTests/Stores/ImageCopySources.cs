using Containers.IntegrationTests.Destinations;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Content;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Registry;
using Containers.Oci.Stores;

namespace Containers.IntegrationTests.Stores;

/// <summary>
/// What <see cref="ImageCopyTests"/> copies, made once per class: the ConsoleApp image (built in-process into the
/// registry, runnable), and a two-platform index of it and a tiny arm64 image; each put in every kind of store. podman
/// holds no index, so only the image is there. A content cache and a temp folder of the class's own; each podman image
/// made is removed by <see cref="LocalImagesFixture"/>.
/// </summary>
public sealed class ImageCopySources : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly RegistryClientProvider _clients = new();
    private Seeded? _seeded;

    public ImageCopySources() => Context = new StoreContext(_clients, new ContentCache(Temp.Combine("cache")), NullBuildLog.Instance);

    public TempDirectory Temp { get; } = new("containers-it-copy-");

    public StoreContext Context { get; }

    /// <summary>The image and the index, and where each is, by kind of store.</summary>
    public sealed record Seeded(IImage Image, IImageIndex Index, IReadOnlyDictionary<StoreKind, CopyPlace> ImageAt, IReadOnlyDictionary<StoreKind, CopyPlace> IndexAt);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _clients.Dispose();
        Temp.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Seeds on the first call (the class's fixtures are only known to its tests); every later call gets the same.</summary>
    public async Task<Seeded> GetAsync(RegistryFixture registry, LocalImagesFixture local)
    {
        await _gate.WaitAsync();
        try
        {
            return _seeded ??= await SeedAsync(registry, local);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Seeded> SeedAsync(RegistryFixture registry, LocalImagesFixture local)
    {
        await registry.EnsureBaseImagesAsync();
        var imageRepository = RegistryFixture.UniqueRepository("copy-image");
        await local.PublishInProcessAsync(registry.BaseImage("runtime"), ImageDestination.Registry(ImageReference.Parse($"{registry.Registry}/{imageRepository}")),
            [CopyPlace.Tag], MediaTypes.OciManifest);
        var inRegistry = new CopyPlace(StoreKind.Registry, $"{registry.Registry}/{imageRepository}:{CopyPlace.Tag}", null);
        var image = (IImage)await inRegistry.Open(Context).ReadAsync(CancellationToken.None);

        // The arm64 image cannot run here; it only has to be a different platform's image with blobs of its own.
        var arm64 = TestImages.Image([new TestImages(Temp.Combine("layers")).Layer(("hello.txt", "arm64"))], "arm64");
        var index = ImageIndexBuilder.Build([image, arm64]);
        var indexInRegistry = new CopyPlace(StoreKind.Registry, $"{registry.Registry}/{RegistryFixture.UniqueRepository("copy-index")}:{CopyPlace.Tag}", null);
        await indexInRegistry.Open(Context).WriteAsync(index, [CopyPlace.Tag], [], CancellationToken.None);

        var layout = Temp.Combine("sources", "layout");
        var podman = local.RemoveLater($"localhost/{LocalImagesFixture.UniqueName("copy-source")}:{CopyPlace.Tag}");
        var imageAt = new Dictionary<StoreKind, CopyPlace>
        {
            [StoreKind.Registry] = inRegistry,
            [StoreKind.LoopbackRegistry] = Loopback(inRegistry, registry),
            [StoreKind.OciLayout] = new(StoreKind.OciLayout, layout, $"image:{CopyPlace.Tag}"),
            [StoreKind.Archive] = new(StoreKind.Archive, Temp.Combine("sources", "image.tar"), $"image:{CopyPlace.Tag}"),
            [StoreKind.Podman] = new(StoreKind.Podman, podman["localhost/".Length..], null),
        };
        var indexAt = new Dictionary<StoreKind, CopyPlace>
        {
            [StoreKind.Registry] = indexInRegistry,
            [StoreKind.LoopbackRegistry] = Loopback(indexInRegistry, registry),
            [StoreKind.OciLayout] = new(StoreKind.OciLayout, layout, $"index:{CopyPlace.Tag}"),
            [StoreKind.Archive] = new(StoreKind.Archive, Temp.Combine("sources", "index.tar"), $"index:{CopyPlace.Tag}"),
        };
        await ImageCopy.CopyAsync(inRegistry.Open(Context), [.. new[] { StoreKind.OciLayout, StoreKind.Archive, StoreKind.Podman }.Select(k => imageAt[k].Open(Context))],
            [CopyPlace.Tag], null, CancellationToken.None);
        await ImageCopy.CopyAsync(indexInRegistry.Open(Context), [indexAt[StoreKind.OciLayout].Open(Context), indexAt[StoreKind.Archive].Open(Context)],
            [CopyPlace.Tag], null, CancellationToken.None);
        return new Seeded(image, index, imageAt, indexAt);
    }

    /// <summary>The same repository by the registry's other name.</summary>
    private static CopyPlace Loopback(CopyPlace place, RegistryFixture registry)
        => place with { Kind = StoreKind.LoopbackRegistry, Address = registry.LoopbackRegistry + place.Address[registry.Registry.Length..] };
}
