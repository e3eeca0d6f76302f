using System.Security.Cryptography;
using System.Text;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Stores;
using Containers.Oci.Tests.Support;
using CsCheck;
using Xunit.Sdk;

namespace Containers.Oci.Tests.Stores;

/// <summary>
/// Property tests (CsCheck) of reading an OCI layout folder, which is someone else's: an index.json and the blobs it
/// names, each valid or not (malformed JSON, odd types, bad or unknown digests, missing blobs, wrong and huge sizes,
/// indexes nested deeper than the reader allows), give an image or a coded error, never another exception, and
/// never hang. Fixed seed; one small folder per case.
/// </summary>
public sealed class OciLayoutPropertyTests : IDisposable
{
    private const int Cases = 200;
    private static readonly Platform Amd64 = new("amd64", "linux");
    private static readonly byte[] LayerBlob = "layer bytes"u8.ToArray();

    private static readonly Gen<string> Config = Gen.Frequency((6,
        Gen.Const($$$"""{"os":"linux","architecture":"amd64","rootfs":{"type":"layers","diff_ids":["{{{DigestOf(LayerBlob)}}}"]}}""")), (1, Gen.OneOf(
        Gen.Const("""{"os":"linux","architecture":"arm64","rootfs":{"type":"layers","diff_ids":[]}}"""),
        Gen.Const("""{"rootfs":{"diff_ids":5}}"""), Gen.Const("{}"), Gen.Const("[]"), Gen.Const("{\"os\":\"\\ud800\"}"), Gen.Const("not json"))));

    /// <summary>Mostly <paramref name="usual"/>, sometimes any of 0 to <paramref name="max"/>.</summary>
    private static Gen<int> Mostly(int usual, int max) => Gen.Frequency((4, Gen.Const(usual)), (1, Gen.Int[0, max]));

    private static readonly Gen<string> MediaType = Gen.Frequency(
        (6, Gen.Const($"\"{MediaTypes.OciManifest}\"")), (1, Gen.Const($"\"{MediaTypes.DockerManifest}\"")),
        (1, Gen.OneOf("null", "5", "\"text/plain\"", $"\"{MediaTypes.OciIndex}\"")));

    // What a descriptor's digest and size say about a blob: the truth, most of the time.
    private enum Lie { None, Digest, BadDigest, Sha512, Missing, Size, HugeSize, NegativeSize, SizeType, DigestType, NoSize }

    private static readonly Gen<Lie> Lies = Gen.Frequency((12, Gen.Const(Lie.None)), (1, Gen.Enum<Lie>()));

    private static readonly Gen<string> PlatformField = Gen.Frequency(
        (5, Gen.Const(""", "platform":{"os":"linux","architecture":"amd64"}""")),
        (1, Gen.OneOf(Gen.Const(""), Gen.Const(""", "platform":{"os":"linux","architecture":"arm64","variant":"v8"}"""),
            Gen.Const(""", "platform":{}"""), Gen.Const(""", "platform":5"""), Gen.Const(""", "platform":null"""), Gen.Const(""", "platform":{"os":null}"""))));

    private static readonly Gen<string> Annotations = Gen.Frequency(
        (4, Gen.Const("")), (2, Gen.Const(""", "annotations":{"org.opencontainers.image.ref.name":"latest"}""")),
        (1, Gen.OneOf(Gen.Const(""", "annotations":{"org.opencontainers.image.ref.name":5}"""), Gen.Const(""", "annotations":null"""),
            Gen.Const(""", "annotations":{"org.opencontainers.image.ref.name":null}"""), Gen.Const(""", "annotations":[]"""))));

    private static readonly Gen<Layout> Layouts = Gen.Select(
        Config,
        Gen.Select(MediaType, Lies, Lies, Mostly(3, 5), (type, configLie, layerLie, shape) => (type, configLie, layerLie, shape)),
        Gen.Select(Gen.Int[0, 6], Lies, PlatformField, Annotations, (nesting, entryLie, platform, annotations) => (nesting, entryLie, platform, annotations)),
        Mostly(7, 7),
        Mostly(0, 3),
        (config, m, n, indexJsonShape, where) => new Layout(config, m.type, m.configLie, m.layerLie, m.shape, n.nesting, n.entryLie, n.platform, n.annotations, indexJsonShape, where));

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Any_layout_gives_an_image_or_a_coded_error_never_another_exception_and_never_hangs()
    {
        var random = new PCG(1, 20261212);
        var read = 0;
        for (var i = 0; i < Cases; i++)
        {
            var layout = Layouts.Generate(random, null, out _);
            // One folder for every case: blobs are named by their content, so only index.json and new blobs are written.
            var folder = _temp.Combine("layout");
            var (name, digest) = layout.WriteTo(folder);
            var store = new OciLayoutStore(new OciLayoutLocation(folder, name, digest));

            var image = await ReadAsync(layout, () => store.ReadImageAsync(Amd64, "linux-x64", CancellationToken.None));
            if (image is not null)
            {
                read++;
                Assert.Equal(Amd64.Architecture, image.Platform?.Architecture ?? Amd64.Architecture);
                Assert.Equal(image.Layers.Count, ImageDocuments.DiffIds(image.Config, "layout").Count);
            }
            _ = await ReadAsync(layout, () => store.ReadAsync(CancellationToken.None));
        }
        // Not only errors: the well-formed layouts, nested or not, are read.
        Assert.InRange(read, Cases / 10, Cases);
    }

    private static async Task<T?> ReadAsync<T>(Layout layout, Func<Task<T>> read) where T : class
    {
        try
        {
            return await read().WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (ContainerException)
        {
            return null;
        }
        catch (TimeoutException)
        {
            throw new XunitException($"{layout} did not finish reading within 20 s");
        }
        catch (Exception e)
        {
            throw new XunitException($"{layout} threw {e}");
        }
    }

    /// <summary>
    /// A layout: a config and a layer blob, a manifest naming them, <paramref name="Nesting"/> indexes each naming the
    /// one below (the manifest at the bottom), and an index.json naming the top one (or something else).
    /// </summary>
    private sealed record Layout(string Config, string ManifestMediaType, Lie ConfigLie, Lie LayerLie, int ManifestShape,
        int Nesting, Lie EntryLie, string Platform, string Annotations, int IndexJsonShape, int Where)
    {
        public (string? Name, string? Digest) WriteTo(string folder)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
            var config = Encoding.UTF8.GetBytes(Config);
            Blob(folder, config);
            Blob(folder, LayerBlob);

            var configDescriptor = Descriptor($"\"{MediaTypes.OciConfig}\"", config, ConfigLie, folder);
            var layers = ManifestShape switch
            {
                0 => "null",
                1 => "[null]",
                2 => "\"x\"",
                _ => "[" + Descriptor($"\"{MediaTypes.OciLayerGzip}\"", LayerBlob, LayerLie, folder) + "]",
            };
            var manifestJson = ManifestShape == 4 && ConfigLie == Lie.None
                ? $$"""{"schemaVersion":2,"mediaType":{{ManifestMediaType}},"layers":{{layers}}}"""
                : $$"""{"schemaVersion":2,"mediaType":{{ManifestMediaType}},"config":{{configDescriptor}},"layers":{{layers}}}""";
            var top = Encoding.UTF8.GetBytes(manifestJson);
            Blob(folder, top);
            var topType = ManifestMediaType;
            for (var level = 0; level < Nesting; level++)
            {
                var index = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{{Descriptor(topType, top, Lie.None, folder, Platform)}}]}""");
                Blob(folder, index);
                (top, topType) = (index, $"\"{MediaTypes.OciIndex}\"");
            }

            var entry = Descriptor(topType, top, EntryLie, folder, Platform + Annotations);
            var indexJson = IndexJsonShape switch
            {
                0 => """{"manifests":null}""",
                1 => """{"manifests":{}}""",
                2 => """{"manifests":[5]}""",
                3 => "[]",
                4 => $$"""{"schemaVersion":2,"manifests":[{{entry}}]""",
                5 => $$"""{"schemaVersion":2,"manifests":[{{entry}},{{entry.Replace("amd64", "arm64")}}]}""",
                6 => $$"""{"schemaVersion":"2","manifests":[{{entry}},{{entry}}]}""",
                _ => $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{{entry}}]}""",
            };
            File.WriteAllText(Path.Combine(folder, "index.json"), indexJson);
            return Where switch
            {
                1 => ("latest", null),
                2 => (null, DigestOf(top)),
                3 => (null, "sha256:" + new string('0', 64)),
                _ => (null, null),
            };
        }

        private static string Descriptor(string mediaType, byte[] blob, Lie lie, string folder, string extra = "")
        {
            var digest = $"\"{DigestOf(blob)}\"";
            var size = blob.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            switch (lie)
            {
                case Lie.Digest: digest = $"\"{DigestOf([.. blob, 0])}\""; break;
                case Lie.BadDigest: digest = "\"sha256:ABC\""; break;
                case Lie.Sha512:
                    // Not a lie: the same bytes under their sha512 name.
                    var sha512 = Convert.ToHexStringLower(SHA512.HashData(blob));
                    digest = $"\"sha512:{sha512}\"";
                    Directory.CreateDirectory(Path.Combine(folder, "blobs", "sha512"));
                    File.WriteAllBytes(Path.Combine(folder, "blobs", "sha512", sha512), blob);
                    break;
                case Lie.Missing:
                    var missing = $"{Convert.ToHexStringLower(SHA256.HashData([.. blob, 1]))}";
                    digest = $"\"sha256:{missing}\"";
                    Directory.CreateDirectory(Path.Combine(folder, "blobs", "sha256", missing));   // a folder where the blob belongs
                    break;
                case Lie.Size: size = (blob.Length + 1).ToString(System.Globalization.CultureInfo.InvariantCulture); break;
                case Lie.HugeSize: size = long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture); break;
                case Lie.NegativeSize: size = "-1"; break;
                case Lie.SizeType: size = "\"12\""; break;
                case Lie.DigestType: digest = "5"; break;
                case Lie.NoSize: return $$"""{"mediaType":{{mediaType}},"digest":{{digest}}{{extra}}}""";
            }
            return $$"""{"mediaType":{{mediaType}},"digest":{{digest}},"size":{{size}}{{extra}}}""";
        }

        private static void Blob(string folder, byte[] content)
        {
            var hex = Convert.ToHexStringLower(SHA256.HashData(content));
            var path = Path.Combine(folder, "blobs", "sha256", hex);
            if (File.Exists(path)) return;
            Directory.CreateDirectory(Path.Combine(folder, "blobs", "sha256"));
            File.WriteAllBytes(path, content);
        }
    }

    private static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
