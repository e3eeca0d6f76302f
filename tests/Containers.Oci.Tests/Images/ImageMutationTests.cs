using System.Text.Json.Nodes;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Images;

/// <summary>The pure transforms: each gives a new, valid image and leaves its input alone.</summary>
public sealed class ImageMutationTests : IDisposable
{
    private static readonly DateTimeOffset Created = new(2025, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly SampleImages _images;

    public ImageMutationTests() => _images = new SampleImages(_temp.Combine("layers"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AppendLayers_adds_layers_diff_ids_and_history_and_keeps_the_original()
    {
        var image = _images.Image(layers: 1);
        var before = image.RawManifest.ToArray();
        var added = _images.Layer(("extra.txt", "extra"));

        var grown = ImageMutation.AppendLayers(image, [(added, "extra files")], Created);

        Assert.Equal([.. image.Layers.Select(l => l.Descriptor.Digest), added.Descriptor.Digest], grown.Layers.Select(l => l.Descriptor.Digest));
        Assert.Equal(added.DiffId, grown.Config["rootfs"]!["diff_ids"]!.AsArray().Last()!.GetValue<string>());
        Assert.Equal("extra files", grown.Config["history"]!.AsArray().Last()!["created_by"]!.GetValue<string>());
        Assert.Equal(before, image.RawManifest);
        Assert.Single(image.Layers);
        Assert.Empty(await ImageValidation.CheckAsync(grown, default));
    }

    [Fact]
    public async Task WithAnnotations_changes_the_manifest_only()
    {
        var image = _images.Image();

        var annotated = ImageMutation.WithAnnotations(image, new Dictionary<string, string> { ["org.example.b"] = "2", ["org.example.a"] = "1" });

        Assert.Equal(image.RawConfig, annotated.RawConfig);
        Assert.NotEqual(image.Digest, annotated.Digest);
        Assert.Contains("\"annotations\":{\"org.example.a\":\"1\",\"org.example.b\":\"2\"}", System.Text.Encoding.UTF8.GetString(annotated.RawManifest));
        Assert.Null(image.Manifest.Annotations);
        Assert.Empty(await ImageValidation.CheckAsync(annotated, default));
    }

    [Fact]
    public void WithCreated_dates_the_config_and_every_history_entry()
    {
        var image = ImageMutation.AppendLayers(_images.Image(layers: 1), [(_images.Layer(("x", "x")), "x")], DateTimeOffset.UnixEpoch);

        var dated = ImageMutation.WithCreated(image, Created);

        Assert.Equal("2025-05-06T07:08:09Z", dated.Config["created"]!.GetValue<string>());
        Assert.All(dated.Config["history"]!.AsArray(), h => Assert.Equal("2025-05-06T07:08:09Z", h!["created"]!.GetValue<string>()));
        Assert.Equal(ImageMutation.WithCreated(image, Created).Digest, dated.Digest);
    }

    [Fact]
    public async Task Rebase_replaces_the_old_base_layers_and_keeps_the_apps()
    {
        var oldBase = WithHistory(_images.Image(layers: 1), "old base");
        var newBase = WithHistory(_images.Image(layers: 2), "new base");
        var appLayer = _images.Layer(("app/app.dll", "app"));
        var app = ImageMutation.WithConfig(ImageMutation.AppendLayers(oldBase, [(appLayer, "app")], Created), c => c["config"] = new JsonObject { ["Env"] = new JsonArray("A=1") });

        var rebased = ImageMutation.Rebase(app, oldBase, newBase);

        Assert.Equal([.. newBase.Layers.Select(l => l.Descriptor.Digest), appLayer.Descriptor.Digest], rebased.Layers.Select(l => l.Descriptor.Digest));
        Assert.Equal(["new base", "new base", "app"], rebased.Config["history"]!.AsArray().Select(h => h!["created_by"]!.GetValue<string>()));
        Assert.Equal("A=1", rebased.Config["config"]!["Env"]![0]!.GetValue<string>());
        Assert.Empty(await ImageValidation.CheckAsync(rebased, default));
    }

    [Fact]
    public void Rebase_refuses_an_image_not_built_on_the_old_base_or_a_base_of_another_platform()
    {
        var oldBase = _images.Image(layers: 1);
        var app = ImageMutation.AppendLayers(oldBase, [(_images.Layer(("app", "app")), "app")], Created);

        var notOnIt = Assert.Throws<ContainerException>(() => ImageMutation.Rebase(app, _images.Image(layers: 1), _images.Image()));
        var otherPlatform = Assert.Throws<ContainerException>(() => ImageMutation.Rebase(app, oldBase, _images.Image(architecture: "arm64")));

        Assert.Equal(ErrorCatalogue.RebaseRefused.Code, notOnIt.Code);
        Assert.Contains("not the layers of the old base", notOnIt.Message);
        Assert.Equal(ErrorCatalogue.RebaseRefused.Code, otherPlatform.Code);
        Assert.Contains("linux/arm64", otherPlatform.Message);
    }

    private static IImage WithHistory(IImage image, string createdBy) => ImageMutation.WithConfig(image, c =>
        c["history"] = new JsonArray(image.Layers.Select(_ => (JsonNode?)new JsonObject { ["created_by"] = createdBy }).ToArray()));
}
