using Containers.IntegrationTests.Destinations;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Stores;

namespace Containers.IntegrationTests.Stores;

/// <summary>The kinds of store a copy goes between. Registry and LoopbackRegistry are one registry process under two names.</summary>
public enum StoreKind
{
    Registry,
    LoopbackRegistry,
    OciLayout,
    Archive,
    Podman,
}

/// <summary>
/// One image's place in one store, for a test: how the engine opens it, and how an independent tool reads it
/// (skopeo for registries, layouts and archives; podman for its own store).
/// </summary>
/// <param name="Address">A registry reference with its tag, a layout folder, an archive file, or podman's <c>name:tag</c>.</param>
/// <param name="Name">The image's name inside a layout or archive (<c>name:tag</c>); null otherwise.</param>
public sealed record CopyPlace(StoreKind Kind, string Address, string? Name)
{
    public const string Tag = "1.0";

    /// <summary>A new, empty place of this kind; the image copied there is named <c>…:1.0</c>.</summary>
    public static CopyPlace Fresh(StoreKind kind, RegistryFixture registry, TempDirectory temp) => kind switch
    {
        StoreKind.Registry => new(kind, $"{registry.Registry}/{RegistryFixture.UniqueRepository("copy")}:{Tag}", null),
        StoreKind.LoopbackRegistry => new(kind, $"{registry.LoopbackRegistry}/{RegistryFixture.UniqueRepository("copy")}:{Tag}", null),
        StoreKind.OciLayout => new(kind, temp.Combine($"layout-{Guid.NewGuid():N}"), $"copy:{Tag}"),
        StoreKind.Archive => new(kind, temp.Combine($"archive-{Guid.NewGuid():N}.tar"), $"copy:{Tag}"),
        StoreKind.Podman => new(kind, $"{LocalImagesFixture.UniqueName("copy")}:{Tag}", null),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The podman name of an image at a podman place, as podman lists it (<c>localhost/name:tag</c>).</summary>
    public string PodmanName => Kind == StoreKind.Podman ? "localhost/" + Address : throw new InvalidOperationException($"{this} is not in podman.");

    /// <summary>The store, to read the image there or write it under <see cref="Tag"/> with this place's name.</summary>
    public IImageStore Open(StoreContext context)
    {
        var name = Name is null ? null : new ImageName(null, Name[..Name.LastIndexOf(':')]);
        return Kind switch
        {
            StoreKind.Registry or StoreKind.LoopbackRegistry => ImageStores.Open(new RegistryLocation(ImageReference.Parse(Address)), context),
            StoreKind.OciLayout => ImageStores.Open(new OciLayoutLocation(Address, Name, null), context, name),
            StoreKind.Archive => ImageStores.Open(new ArchiveLocation(ArchiveFormat.OciArchive, Address, Name), context, name),
            _ => ImageStores.Open(new DaemonStoreLocation(LocalDaemonKind.Podman, Address), context, new ImageName(null, Address[..Address.LastIndexOf(':')])),
        };
    }

    /// <summary>skopeo's name for the image: <c>docker://…</c>, <c>oci:PATH:NAME</c>, <c>oci-archive:FILE:NAME</c>.</summary>
    private string SkopeoReference => Kind switch
    {
        StoreKind.Registry or StoreKind.LoopbackRegistry => "docker://" + Address,
        StoreKind.OciLayout => $"oci:{Address}:{Name}",
        StoreKind.Archive => $"oci-archive:{Address}:{Name}",
        _ => throw new InvalidOperationException("podman's store is read with podman."),
    };

    /// <summary>The manifest or index as skopeo reads it, byte for byte (redirected to a file: the pipe keeps no bytes exact).</summary>
    public async Task<byte[]> RawManifestAsync(TempDirectory temp)
    {
        var output = temp.Combine($"raw-{Guid.NewGuid():N}.json");
        string[] tls = Kind is StoreKind.Registry or StoreKind.LoopbackRegistry ? ["--tls-verify=false"] : [];
        await ProcessRunner.RunAsync("sh", ["-c", "out=\"$1\"; shift; exec skopeo inspect --raw \"$@\" > \"$out\"", "sh", output, .. tls, SkopeoReference],
            new ProcessOptions { Timeout = TimeSpan.FromMinutes(2) });
        return await File.ReadAllBytesAsync(output);
    }

    /// <summary>The config digest of the image podman holds here: podman's image id is it.</summary>
    public async Task<string> PodmanConfigDigestAsync()
    {
        var result = await ProcessRunner.RunAsync("podman", ["image", "inspect", "--format", "{{.Id}}", PodmanName]);
        return "sha256:" + result.StandardOutput.Trim();
    }

    /// <summary>The digest of what skopeo reads here.</summary>
    public async Task<Digest> DigestAsync(TempDirectory temp) => Digest.Sha256(await RawManifestAsync(temp));

    public override string ToString() => Name is null ? $"{Kind} {Address}" : $"{Kind} {Address} ({Name})";
}
