using System.Text.Json;
using System.Text.Json.Nodes;
using Containers.Build.Tasks;
using Containers.Oci.Content;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Stores;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace Containers.Build.Tests;

/// <summary>
/// The publish task run in process: base image and destination are OCI layouts, so nothing but the task and the engine
/// is involved. It proves the task's translation of parameters, its outputs, and its coded errors.
/// </summary>
public sealed class PublishContainerImageTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("containers-build-tests-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Combine(params string[] parts) => Path.Combine([_root, .. parts]);

    [Fact]
    public async Task One_platform_publishes_an_image_to_the_layout_and_sets_every_output()
    {
        var baseLayout = await BaseLayoutAsync(("amd64", null));
        var (task, engine) = Task(baseLayout);

        Assert.True(task.Execute(), string.Join("\n", engine.Errors.Select(e => $"{e.Code}: {e.Message}")));

        var image = await new OciLayoutStore(new OciLayoutLocation(Combine("out"), "app:1.0", null)).ReadImageAsync(new Platform("amd64", "linux"), null, default);
        Assert.Equal(image.Digest.ToString(), task.GeneratedContainerDigest);
        Assert.Equal(MediaTypes.OciManifest, task.GeneratedContainerMediaType);
        Assert.Equal(["app:1.0"], task.GeneratedContainerNames.Select(n => n.ItemSpec));
        Assert.Equal("hello", JsonNode.Parse(task.GeneratedContainerConfiguration!)!["config"]!["Labels"]!["greeting"]!.GetValue<string>());
        Assert.Empty(await ImageValidation.CheckAsync(image, default));
        Assert.Null(task.GeneratedContainerIndexDigest);
        Assert.Equal(image.Digest.ToString(), JsonNode.Parse(File.ReadAllText(Combine("app.container.json")))!["digest"]!.GetValue<string>());
    }

    [Fact]
    public async Task Platforms_give_one_image_each_and_an_index_with_each_platforms_base_name()
    {
        var baseLayout = await BaseLayoutAsync(("amd64", null), ("arm64", "v8"));
        var (task, engine) = Task(baseLayout);
        task.Platforms = [Platform("linux-x64", baseLayout), Platform("linux-arm64", baseLayout)];
        task.Labels = [Label("org.opencontainers.image.base.name", "(outer)"), Label("greeting", "hello")];

        Assert.True(task.Execute(), string.Join("\n", engine.Errors.Select(e => $"{e.Code}: {e.Message}")));

        var index = Assert.IsAssignableFrom<IImageIndex>(await new OciLayoutStore(new OciLayoutLocation(Combine("out"), "app:1.0", null)).ReadAsync(default));
        Assert.Equal(index.Digest.ToString(), task.GeneratedContainerIndexDigest);
        Assert.Equal(["linux-x64", "linux-arm64"], task.GeneratedPlatformImages.Select(i => i.ItemSpec));
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], task.GeneratedPlatformImages.Select(i => i.GetMetadata("Platform")));
        Assert.All(index.Images, i => Assert.Equal(baseLayout, i.Config["config"]!["Labels"]!["org.opencontainers.image.base.name"]!.GetValue<string>()));
        Assert.Empty(await ImageValidation.CheckAsync(index, default));
        Assert.Null(task.GeneratedContainerDigest);
    }

    [Fact]
    public void A_user_mistake_is_one_coded_error_and_no_exception()
    {
        var (task, engine) = Task("oci-layout:" + Combine("nowhere"));
        task.PublishDirectory = Combine("missing");

        Assert.False(task.Execute());

        Assert.Equal(["CONTAINER2011"], engine.Errors.Select(e => e.Code));
        Assert.DoesNotContain(engine.Errors, e => e.Message!.Contains("   at ", StringComparison.Ordinal));
        Assert.False(File.Exists(Combine("app.container.json")));
    }

    [Fact]
    public async Task The_same_warning_is_logged_once_however_many_platforms_give_it()
    {
        var baseLayout = await BaseLayoutAsync(("amd64", null), ("arm64", "v8"));
        var (task, engine) = Task(baseLayout);
        task.Platforms = [Platform("linux-x64", baseLayout), Platform("linux-arm64", baseLayout)];
        task.EnvironmentVariables = [new TaskItem("not-valid")];

        Assert.True(task.Execute());

        Assert.Single(engine.Warnings, w => w.Code == "CONTAINER2015");
    }

    private (PublishContainerImage Task, FakeBuildEngine Engine) Task(string baseImage)
    {
        var publish = Directory.CreateDirectory(Combine("publish")).FullName;
        File.WriteAllText(Path.Combine(publish, "app.dll"), "not really an assembly");
        var engine = new FakeBuildEngine();
        var task = new PublishContainerImage
        {
            BuildEngine = engine,
            BaseImage = baseImage,
            ContainerRuntimeIdentifier = "linux-x64",
            Repository = "app",
            ImageTag = "1.0",
            PublishDirectory = publish,
            WorkingDirectory = "/app/",
            IntermediateDirectory = Combine("obj"),
            OciLayoutPath = Combine("out"),
            CacheDirectory = Combine("cache"),
            ResultFile = Combine("app.container.json"),
            ProjectDirectory = _root,
            ImageCreated = "0",
            AppCommand = [new TaskItem("dotnet"), new TaskItem("/app/app.dll")],
            Labels = [Label("greeting", "hello")],
        };
        return (task, engine);
    }

    private static TaskItem Label(string name, string value)
    {
        var item = new TaskItem(name);
        item.SetMetadata("Value", value);
        return item;
    }

    private ITaskItem Platform(string rid, string baseImage)
    {
        var publish = Directory.CreateDirectory(Combine("publish-" + rid)).FullName;
        File.WriteAllText(Path.Combine(publish, "app"), rid);
        var item = new TaskItem(rid);
        item.SetMetadata("Json", JsonSerializer.Serialize(new ContainerPlatformBuild
        {
            RuntimeIdentifier = rid,
            PublishDirectory = publish,
            IntermediateDirectory = Combine("obj-" + rid),
            BaseImage = baseImage,
            AppCommand = ["/app/app"],
        }));
        return item;
    }

    /// <summary>An OCI layout holding a tiny base image per platform (an index when there are several), named base:1.</summary>
    private async Task<string> BaseLayoutAsync(params (string Architecture, string? Variant)[] platforms)
    {
        var folder = Combine("base");
        var images = new List<IImage>();
        foreach (var (architecture, variant) in platforms)
        {
            var tarPath = Combine($"base-{architecture}.tar");
            await using (var tar = File.Create(tarPath))
            using (var writer = new System.Formats.Tar.TarWriter(tar))
            {
                writer.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "etc/os-release") { DataStream = new MemoryStream("ID=test"u8.ToArray()) });
            }
            var bytes = File.ReadAllBytes(tarPath);
            var layer = new FileLayer(new Descriptor { MediaType = MediaTypes.OciLayer, Digest = Digest.Sha256(bytes).ToString(), Size = bytes.Length }, Digest.Sha256(bytes).ToString(), tarPath);
            var config = new JsonObject
            {
                ["architecture"] = architecture,
                ["os"] = "linux",
                ["config"] = new JsonObject { ["Env"] = new JsonArray("APP_UID=1654") },
                ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(layer.DiffId) },
            };
            if (variant is not null) config["variant"] = variant;
            var rawConfig = OciJson.Serialize(config);
            images.Add(Image.Create(new ImageManifest
            {
                MediaType = MediaTypes.OciManifest,
                Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Sha256(rawConfig).ToString(), Size = rawConfig.Length },
                Layers = [layer.Descriptor],
            }, rawConfig, config, [layer]));
        }
        var store = new OciLayoutStore(new OciLayoutLocation(folder, null, null), new ImageName(null, "base"));
        if (images.Count == 1) await store.WriteAsync(images[0], ["1"], default);
        else await store.WriteAsync(ImageIndexBuilder.Build(images), ["1"], [], default);
        return $"oci-layout:{folder}:base:1";
    }
}
