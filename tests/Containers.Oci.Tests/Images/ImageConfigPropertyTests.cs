using System.Text;
using System.Text.Json.Nodes;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Model;
using CsCheck;
using Xunit.Sdk;

namespace Containers.Oci.Tests.Images;

/// <summary>
/// Property tests (CsCheck) of reading a base image's config, which comes from whoever made the base: any bytes, and
/// any JSON with odd types in the fields a config has, give a config (its platform, diff ids and the new config built
/// on it, which serializes) or a coded error, never another exception. Fixed seeds, so every run checks the same cases.
/// </summary>
public sealed class ImageConfigPropertyTests
{
    private const int Cases = 2000;
    private const string Source = "the base image in oci-layout:/tmp/base";
    private static readonly string NewDiffId = "sha256:" + new string('d', 64);
    private static readonly string Digest64 = "sha256:" + new string('a', 64);

    // JSON text, not nodes: a node cannot hold duplicate keys, half a surrogate pair or a number too big for a double.
    // What no config may hold comes rarely, so that most cases get as far as the builder.
    private static readonly Gen<string> Leaf = Gen.Frequency(
        (30, Gen.OneOf(
            "null", "true", "false", "0", "-1", "1.5", "1e400", "65536", "99999999999999999999", "\"\"", "\"x\"",
            $"\"{Digest64}\"", "\"sha256:abc\"", "\"md5:0\"", "\"a\\u0000b\"", "\"\\ud83d\\ude00\"",
            "\"linux\"", "\"amd64\"", "\"arm64\"", "\"v8\"", "\"A=B\"", "\"=C\"", "\"NOEQ\"", "\"APP_UID=1654\"", "\"APP_UID=\"",
            "\"ASPNETCORE_URLS=http://+:99999999999;https://*:-1/x\"", "\"ASPNETCORE_HTTP_PORTS=80;x;;-5;2147483648\"",
            "\"ASPNETCORE_HTTPS_PORTS= 443 \"", "\"8080/tcp\"", "{}", "[]")),
        (1, Gen.OneOf("\"\\ud800\"", "\"\\udc00x\"", "{\"a\":1,\"a\":2}")));

    private static readonly Gen<string> Key = Gen.OneOf(
        "os", "architecture", "variant", "os.version", "config", "rootfs", "diff_ids", "history", "Env", "User", "Labels",
        "ExposedPorts", "Volumes", "StopSignal", "type", "created", "", "a", "80/tcp");

    private static readonly Gen<string> Any = Value(3);

    private static readonly Gen<string> Config = Gen.Select(
        Field("os", Gen.OneOf(Leaf, Any)), Field("architecture", Gen.OneOf(Leaf, Any)), Field("variant", Leaf),
        Field("rootfs", Gen.OneOf(Any, Object(Field("type", Leaf), Field("diff_ids", Gen.OneOf(Any, Array(Gen.OneOf(Gen.Const($"\"{Digest64}\""), Leaf))))))),
        Field("config", Gen.OneOf(Any, Object(
            Field("Env", Gen.OneOf(Any, Array(Leaf))), Field("User", Leaf), Field("Labels", Gen.OneOf(Any, Object(Field("a", Leaf), Field("\\u00e9", Leaf)))),
            Field("ExposedPorts", Gen.OneOf(Any, Object(Field("80/tcp", Leaf), Field("", Any)))), Field("Volumes", Any), Field("StopSignal", Leaf)))),
        Field("history", Gen.OneOf(Any, Array(Any))),
        Gen.Int[0, 20].Select(n => n == 0),
        (os, architecture, variant, rootfs, config, history, duplicate) =>
            "{" + string.Join(",", new[] { os, architecture, variant, rootfs, config, history, duplicate ? os : "" }.Where(f => f.Length > 0)) + "}");

    // Cut short, garbled by one byte, or as generated.
    private static readonly Gen<byte[]> ConfigBytes = Gen.Select(Config, Gen.Int[0, 7], Gen.Int[0, 10_000], Gen.Byte, (json, how, at, b) =>
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        return how switch
        {
            0 when bytes.Length > 0 => bytes[..(at % bytes.Length)],
            1 when bytes.Length > 0 => bytes.Select((x, i) => i == at % bytes.Length ? b : x).ToArray(),
            _ => bytes,
        };
    });

    private static readonly ImageSettings[] Settings =
    [
        new(),
        new() { User = "1000", Labels = [new("a", "b")], Environment = [new("ASPNETCORE_HTTP_PORTS", "8080")], Ports = [new(80, PortType.Udp)], WorkingDirectory = "/app/", Entrypoint = ["dotnet", "app.dll"] },
    ];

    [Fact]
    public void Any_config_JSON_gives_a_config_that_builds_and_serializes_or_a_coded_error()
    {
        var i = 0;
        var built = Sample(ConfigBytes, seed: 1).Count(bytes => Check(bytes, Settings[i++ % Settings.Length]));

        // Not only errors: a good share of the cases reach the builder, many with a platform and diff ids.
        Assert.InRange(built, Cases / 4, Cases);
    }

    [Fact]
    public void Any_bytes_give_a_config_or_a_coded_error()
    {
        foreach (var bytes in Sample(Gen.OneOf(Gen.Byte.Array[0, 40], Any.Select(Encoding.UTF8.GetBytes)), seed: 2)) _ = Check(bytes, Settings[0]);
    }

    /// <summary>True when the bytes were a config and the new config was built on it.</summary>
    private static bool Check(byte[] bytes, ImageSettings settings)
    {
        try
        {
            JsonObject config;
            try
            {
                config = ImageDocuments.ParseConfig(bytes, Source);
            }
            catch (ContainerException e)
            {
                Assert.Equal(ErrorCatalogue.ManifestPullFailed.Code, e.Code);
                return false;
            }
            var platform = ImageDocuments.PlatformOf(config);
            if (platform is not null) Assert.Equal(platform, ImageDocuments.PlatformOf(ImageDocuments.ParseConfig(OciJson.Serialize(config), Source)));
            var diffIds = Coded(() => ImageDocuments.DiffIds(config, Source));
            ReadAsImage(bytes, diffIds);

            var built = ImageConfigBuilder.Build(config, settings, [NewDiffId], ["app"]);
            var reread = ImageDocuments.ParseConfig(OciJson.Serialize(built), Source);
            if (diffIds is not null) Assert.Equal([.. diffIds, NewDiffId], ImageDocuments.DiffIds(reread, Source));
            Assert.Equal(ImageDocuments.PlatformOf(config), ImageDocuments.PlatformOf(reread));
            return true;
        }
        catch (Exception e) when (e is not ContainerException and not XunitException)
        {
            throw new XunitException($"{Encoding.UTF8.GetString(bytes)} ({Convert.ToHexString(bytes)}) threw {e}");
        }
    }

    /// <summary>The config under a manifest naming as many layers as it has diff ids (or one, when it has none readable).</summary>
    private static void ReadAsImage(byte[] config, IReadOnlyList<string>? diffIds)
    {
        var layers = Enumerable.Range(0, diffIds?.Count ?? 1).Select(_ => new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest64, Size = 1 }).ToList();
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Containers.Oci.Model.Digest.Sha256(config).ToString(), Size = config.Length },
            Layers = layers,
        };
        var raw = OciJson.Serialize(manifest);
        var image = Coded(() => Image.Read(raw, Containers.Oci.Model.Digest.Sha256(raw), config, Source, (d, diffId) => new FileLayer(d, diffId, "/nowhere")));
        if (image is not null) Assert.Equal(diffIds, image.Layers.Select(l => l.DiffId));
    }

    private static T? Coded<T>(Func<T> read) where T : class
    {
        try
        {
            return read();
        }
        catch (ContainerException e)
        {
            Assert.True(e.Code is "CONTAINER1014" or "CONTAINER5202", e.ToString());
            return null;
        }
    }

    private static Gen<string> Value(int depth) => depth == 0
        ? Leaf
        : Gen.OneOf(Leaf, Leaf, Array(Value(depth - 1)), Gen.Select(Key, Value(depth - 1), Key, Value(depth - 1), (k1, v1, k2, v2) => $"{{\"{k1}\":{v1},\"{(k1 == k2 ? k2 + "2" : k2)}\":{v2}}}"));

    private static Gen<string> Array(Gen<string> item) => item.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]");

    /// <summary>A field, or nothing (the empty string) a third of the time.</summary>
    private static Gen<string> Field(string name, Gen<string> value) => Gen.OneOf(Gen.Const(""), value.Select(v => $"\"{name}\":{v}"), value.Select(v => $"\"{name}\":{v}"));

    private static Gen<string> Object(params Gen<string>[] fields)
        => fields.Aggregate(Gen.Const(new List<string>()), (list, field) => Gen.Select(list, field, (l, f) => l.Append(f).ToList()))
            .Select(all => "{" + string.Join(",", all.Where(f => f.Length > 0)) + "}");

    private static IEnumerable<T> Sample<T>(Gen<T> gen, int seed)
    {
        var random = new PCG(1, (ulong)seed);
        for (var i = 0; i < Cases; i++) yield return gen.Generate(random, null, out _);
    }
}
