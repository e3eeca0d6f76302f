using Containers.Oci.Content;
using Containers.Oci.Images;
using Containers.Oci.Names;
using Containers.Oci.Registry;
using Containers.Oci.Stores;
using Containers.Oci.Tests.Support;
using Containers.Testing.Registry;

namespace Containers.Oci.Tests.Stores;

/// <summary>
/// Every kind of store a unit test can use, over one <see cref="InMemoryRegistry"/> (reached as any host) and a temp
/// folder: registry repositories, OCI layout folders, archive files, a content cache of its own, and sample images.
/// </summary>
internal sealed class StoreBench : IDisposable
{
    public const string Host = "registry.test";

    /// <summary>A second name for the same in-memory registry: a copy between the two is a copy between registries.</summary>
    public const string OtherHost = "mirror.test";

    private readonly TempDirectory _temp = new("containers-store-tests-");

    public StoreBench()
    {
        Clients = new RegistryClientProvider(Registry.ClientOptions());
        Cache = new ContentCache(_temp.Combine("cache"));
        Context = new StoreContext(Clients, Cache, Log);
        Images = new SampleImages(_temp.Combine("layers"));
    }

    public InMemoryRegistry Registry { get; } = new();

    public RegistryClientProvider Clients { get; }

    public ContentCache Cache { get; }

    public ListLog Log { get; } = new();

    public StoreContext Context { get; }

    public SampleImages Images { get; }

    /// <summary>An index of two sample images, amd64 and arm64, with no layer in common (a Docker manifest list when <paramref name="docker"/>).</summary>
    public PlatformIndex TwoPlatformIndex(bool docker = false)
        => ImageIndexBuilder.Build([Images.Image(docker, architecture: "amd64"), Images.Image(docker, architecture: "arm64")]);

    public string PathFor(params string[] parts) => _temp.Combine(parts);

    /// <summary>A registry repository, e.g. <c>registry.test/app:1.0</c>.</summary>
    public RegistryStore RegistryStore(string reference) => new(ImageReference.Parse(reference), Context);

    public RegistryPush Push(string repository, string host = Host) => new(Clients, ImageReference.Parse($"{host}/{repository}"));

    /// <summary>A layout folder whose written images are named <c>app:TAG</c>; read by <paramref name="readName"/> when given.</summary>
    public OciLayoutStore Layout(string folder, string? readName = null) => new(new OciLayoutLocation(folder, readName, null), new ImageName(null, "app"));

    /// <summary>An archive file whose written images are named <c>app:TAG</c>; read (as an oci-archive) by <paramref name="readName"/> when given.</summary>
    public ArchiveStore Archive(string file, string? readName = null) => new(new ArchiveLocation(ArchiveFormat.OciArchive, file, readName), Cache, new ImageName(null, "app"));

    public void Dispose()
    {
        Clients.Dispose();
        _temp.Dispose();
    }
}
