using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Layers;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Publishing;
using Containers.Oci.Registry.Credentials;
using Containers.Oci.Stores;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Publishing;

/// <summary>
/// The bad-input table for MSBuild settings (issue 12), the companion of the layer-input table
/// (<see cref="Layering.BadLayerInputTests"/>): each row is a property or item value as a project or the command line
/// gives it, the code it must fail with, and the engine call the task makes with it when it builds its request. No
/// MSBuild, no network: a row fails before anything would be sent. A new row is one line in <see cref="Rows"/>.
/// </summary>
public sealed class BadSettingInputTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    /// <summary>A row: what the setting is, the value given, the code it must give, and the call that checks it (value, a scratch folder).</summary>
    private sealed record Row(string Name, string Input, string Code, Action<string, string> Check);

    private static readonly ImageName Name = new("registry.example.com", "app");
    private static readonly string Sha = "sha256:" + new string('a', 64);

    private static readonly Row[] Rows =
    [
        // ContainerPort items
        new("ContainerPort 0", "0", "CONTAINER2017", (v, _) => InputParsers.ParsePort(v, null)),
        new("ContainerPort above 65535", "65536", "CONTAINER2017", (v, _) => InputParsers.ParsePort(v, null)),
        new("ContainerPort negative", "-1", "CONTAINER2017", (v, _) => InputParsers.ParsePort(v, null)),
        new("ContainerPort a name", "http", "CONTAINER2017", (v, _) => InputParsers.ParsePort(v, null)),
        new("ContainerPort with its type in the number", "80/tcp", "CONTAINER2017", (v, _) => InputParsers.ParsePort(v, null)),
        new("ContainerPort Type sctp", "sctp", "CONTAINER2017", (v, _) => InputParsers.ParsePort("8080", v)),
        new("ContainerPort without a number", " ", "CONTAINER2016", (v, _) => InputParsers.ParsePort(v, "tcp")),
        // ContainerImageTag(s)
        new("ContainerImageTag starting with '.'", ".bad", "CONTAINER2007", (v, _) => InputParsers.ParseTags(v, null)),
        new("ContainerImageTag starting with '-'", "-rc1", "CONTAINER2007", (v, _) => InputParsers.ParseTags(v, null)),
        new("ContainerImageTag with a space", "1.0 beta", "CONTAINER2007", (v, _) => InputParsers.ParseTags(v, null)),
        new("ContainerImageTag with a ':'", "v1:2", "CONTAINER2007", (v, _) => InputParsers.ParseTags(v, null)),
        new("ContainerImageTag of 129 characters", new string('a', 129), "CONTAINER2007", (v, _) => InputParsers.ParseTags(v, null)),
        new("ContainerImageTags with one bad tag", "ok;not ok", "CONTAINER2010", (v, _) => InputParsers.ParseTags(null, v)),
        new("ContainerImageTags of separators only", ";;", "CONTAINER2010", (v, _) => InputParsers.ParseTags(null, v)),
        new("ContainerImageTag and ContainerImageTags both", "1.0;latest", "CONTAINER2008", (v, _) => InputParsers.ParseTags("1.0", v)),
        // ContainerRegistry
        new("ContainerRegistry with a space", "my registry", "CONTAINER2012", (v, _) => InputParsers.ParseRegistry(v)),
        new("ContainerRegistry with a non-numeric port", "registry.example.com:abc", "CONTAINER2012", (v, _) => InputParsers.ParseRegistry(v)),
        new("ContainerRegistry with a path", "registry.example.com/team", "CONTAINER2012", (v, _) => InputParsers.ParseRegistry(v)),
        new("ContainerRegistry a scheme alone", "https://", "CONTAINER2012", (v, _) => InputParsers.ParseRegistry(v)),
        // ContainerRepository (after normalisation)
        new("ContainerRepository starting with '-'", "-leading-dash", "CONTAINER2005", (v, d) => RepositoryName.Normalize(v, out var changed)),
        new("ContainerRepository of non-ASCII letters only", "日本", "CONTAINER2005", (v, d) => RepositoryName.Normalize(v, out var changed)),
        new("ContainerRepository with an empty path part", "team//app", "CONTAINER2005", (v, d) => RepositoryName.Normalize(v, out var changed)),
        new("ContainerRepository of separators only", "___", "CONTAINER2005", (v, d) => RepositoryName.Normalize(v, out var changed)),
        // ContainerBaseImage
        new("ContainerBaseImage with spaces", "Not A Reference", "CONTAINER2009", (v, d) => ImageLocation.Parse(v, d)),
        new("ContainerBaseImage with a bad digest", "registry.example.com/base@sha256:xyz", "CONTAINER2009", (v, d) => ImageLocation.Parse(v, d)),
        new("ContainerBaseImage oci-layout: without a path", "oci-layout:", "CONTAINER5201", (v, d) => ImageLocation.Parse(v, d)),
        new("ContainerBaseImage docker-archive: without a file", "docker-archive:", "CONTAINER5201", (v, d) => ImageLocation.Parse(v, d)),
        // ContainerExtraDestinations
        new("ContainerExtraDestinations with a tag", "mirror.example.com/app:1.0", "CONTAINER5212", (v, d) => ExtraDestinations.Parse(v, Name, d)),
        new("ContainerExtraDestinations with a digest", $"mirror.example.com/app@{Sha}", "CONTAINER5212", (v, d) => ExtraDestinations.Parse(v, Name, d)),
        new("ContainerExtraDestinations podman: with a name", "podman:other:1.0", "CONTAINER5212", (v, d) => ExtraDestinations.Parse(v, Name, d)),
        new("ContainerExtraDestinations oci-layout: with a name", "oci-layout:/tmp/layout:other", "CONTAINER5212", (v, d) => ExtraDestinations.Parse(v, Name, d)),
        new("ContainerExtraDestinations a second entry bad", "mirror.example.com/app;Not A Place", "CONTAINER5212", (v, d) => ExtraDestinations.Parse(v, Name, d)),
        // Where the image goes
        new("LocalRegistry unknown", "Containerd", "CONTAINER2002", (v, d) => ImageTargetSelection.Choose(null, "app", null, null, v, d)),
        new("LocalRegistry with a digit", "docker2", "CONTAINER2002", (v, d) => ImageTargetSelection.Choose("registry.example.com", "app", null, null, v, d)),
        new("ContainerArchiveOutputPath and ContainerOciLayoutPath both", "out/app.tar.gz", "CONTAINER5209", (v, d) => ImageTargetSelection.Choose(null, "app", v, "layout", null, d)),
        new("ContainerResultFile under a file", "blocker/app.container.json", "CONTAINER5500", (v, d) => PublishResultFile.CheckWritable(Blocked(d, v))),
        new("ContainerResultFile is a folder", "result-folder", "CONTAINER5500", (v, d) => PublishResultFile.CheckWritable(Directory.CreateDirectory(Path.Combine(d, v)).FullName)),
        // Platform, folders, formats
        new("ContainerRuntimeIdentifier unknown", "bogus", "CONTAINER5008", (v, _) => InputParsers.ParsePlatform(v)),
        new("ContainerRuntimeIdentifier for macOS", "osx-arm64", "CONTAINER5008", (v, _) => InputParsers.ParsePlatform(v)),
        new("ContainerRuntimeIdentifier two RIDs in one", "linux-x64;linux-arm64", "CONTAINER5008", (v, _) => InputParsers.ParsePlatform(v)),
        new("ContainerWorkingDirectory relative", "app", "CONTAINER5002", (v, _) => InputParsers.ParseWorkingDirectory(v)),
        new("ContainerWorkingDirectory a Windows path", "C:\\app", "CONTAINER5002", (v, _) => InputParsers.ParseWorkingDirectory(v)),
        new("ContainerWorkingDirectory climbing out", "/app/../../x", "CONTAINER5400", (v, _) => InputParsers.ParseWorkingDirectory(v)),
        new("ContainerImageFormat unknown", "OCI2", "CONTAINER2031", (v, _) => InputParsers.ParseImageFormat(v)),
        new("ContainerImageFormat Docker v1", "DockerV1", "CONTAINER2031", (v, _) => InputParsers.ParseImageFormat(v)),
        new("ContainerImageFormat Docker with zstd layers", "Docker", "CONTAINER5012", (v, _) => ManifestType(v, LayerCompression.Zstd, MediaTypes.OciLayerGzip)),
        new("ContainerImageFormat Docker on a zstd base", "Docker", "CONTAINER5501", (v, _) => ManifestType(v, LayerCompression.Gzip, MediaTypes.OciLayerZstd)),
        // Layers
        new("ContainerLayering unknown", "Many", "CONTAINER5013", (v, _) => LayerInputs.ParseLayering(v)),
        new("ContainerLayerCompression brotli", "brotli", "CONTAINER5014", (v, _) => LayerInputs.ParseCompression(v)),
        new("ContainerLayerCompression xz", "xz", "CONTAINER5014", (v, _) => LayerInputs.ParseCompression(v)),
        new("ContainerLayer Mode not octal", "0999", "CONTAINER5015", (v, d) => LayerInputs.ParseExtraLayer(Existing(d), "/etc/x", v, null)),
        new("ContainerLayer Owner a name", "app", "CONTAINER5015", (v, d) => LayerInputs.ParseExtraLayer(Existing(d), "/etc/x", null, v)),
        new("ContainerLayer TargetPath relative", "etc/x", "CONTAINER5015", (v, d) => LayerInputs.ParseExtraLayer(Existing(d), v, null, null)),
        // Time
        new("ContainerImageCreated a word", "yesterday", "CONTAINER5007", (v, _) => ReproducibleTime.Resolve(v, null, () => DateTimeOffset.UnixEpoch)),
        new("ContainerImageCreated month 13", "2026-13-40T00:00:00Z", "CONTAINER5007", (v, _) => ReproducibleTime.Resolve(v, null, () => DateTimeOffset.UnixEpoch)),
        new("SOURCE_DATE_EPOCH a word", "abc", "CONTAINER5010", (v, _) => ReproducibleTime.Resolve(null, v, () => DateTimeOffset.UnixEpoch)),
        new("SOURCE_DATE_EPOCH with a fraction", "1700000000.5", "CONTAINER5010", (v, _) => ReproducibleTime.Resolve(null, v, () => DateTimeOffset.UnixEpoch)),
        // How the container starts
        new("ContainerAppCommandInstruction unknown", "Sometimes", "CONTAINER2021", (v, _) => Resolve(new AppCommandInputs { AppCommand = ["dotnet", "app.dll"], Instruction = v })),
        new("ContainerAppCommandArgs without ContainerAppCommand", "--fast", "CONTAINER2025", (v, _) => Resolve(new AppCommandInputs { AppCommandArgs = [v] })),
        new("ContainerAppCommand with Instruction None", "dotnet", "CONTAINER2026", (v, _) => Resolve(new AppCommandInputs { AppCommand = [v], Instruction = "None" })),
        new("ContainerEntrypoint with Instruction Entrypoint", "/tini", "CONTAINER2028", (v, _) => Resolve(new AppCommandInputs { Entrypoint = [v], AppCommand = ["dotnet", "app.dll"], Instruction = "Entrypoint" })),
        // ContainerCachePrune limits
        new("ContainerCachePruneMaxSize a word", "lots", "CONTAINER5211", (v, _) => ContentCacheInventory.ParseLimits(v, null)),
        new("ContainerCachePruneMaxSize unknown unit", "5XB", "CONTAINER5211", (v, _) => ContentCacheInventory.ParseLimits(v, null)),
        new("ContainerCachePruneMaxAge a word", "forever", "CONTAINER5211", (v, _) => ContentCacheInventory.ParseLimits(null, v)),
        // Base image inference
        new("ContainerRuntimeIdentifiers mixing musl and glibc", "linux-x64;linux-musl-x64", "CONTAINER5006", (v, _) => Infer("10.0.100", v)),
        new("NETCoreSdkVersion not a version", "banana", "CONTAINER2019", (v, _) => Infer(v, "linux-x64")),
        new("NETCoreSdkVersion an unknown prerelease channel", "10.0.100-beta.1", "CONTAINER2018", (v, _) => Infer(v, "linux-x64")),
        // Credentials files (never quoting them)
        new("docker config.json with an unquoted password", "{\"auths\":{\"r.example.com\":{\"password\": s3cret}}}", "CONTAINER5104", (v, d) => FindCredential(d, v)),
        new("docker config.json whose auth is not base64", "{\"auths\":{\"r.example.com\":{\"auth\":\"%%%\"}}}", "CONTAINER5104", (v, d) => FindCredential(d, v)),
        new("docker config.json that is an array", "[1]", "CONTAINER5104", (v, d) => FindCredential(d, v)),
    ];

    public static TheoryData<string> Names() => new(Rows.Select(r => r.Name));

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(Names))]
    public void ABadSetting_FailsWithItsCode_NeverAStackTrace(string name)
    {
        var row = Rows.Single(r => r.Name == name);
        var scratch = Directory.CreateDirectory(_temp.Combine("scratch")).FullName;

        var error = Assert.Throws<ContainerException>(() => row.Check(row.Input, scratch));

        Assert.Equal(row.Code, error.Code);
    }

    [Fact]
    public void EveryRow_HasItsOwnName_AndACodeFromTheCatalogue_AndTheTablesTogetherHoldMoreThan60()
    {
        Assert.Equal(Rows.Length, Rows.Select(r => r.Name).Distinct().Count());
        Assert.All(Rows, r => Assert.Contains(r.Code, ErrorCatalogue.All().Select(e => e.Code)));
        Assert.True(Rows.Length + Layering.BadLayerInputTests.RowCount > 60, $"{Rows.Length} + {Layering.BadLayerInputTests.RowCount} rows");
    }

    /// <summary>A path under a file, so its folder cannot be created (even by root).</summary>
    private static string Blocked(string scratch, string relative)
    {
        var blocker = Path.Combine(scratch, relative.Split('/')[0]);
        File.WriteAllText(blocker, "a file, not a folder");
        return Path.Combine(scratch, relative);
    }

    private static string Existing(string scratch)
    {
        var file = Path.Combine(scratch, "settings.conf");
        File.WriteAllText(file, "x");
        return file;
    }

    private static void Resolve(AppCommandInputs inputs) => AppCommandResolver.Resolve(inputs, null, (_, _) => { });

    private static void Infer(string sdkVersion, string runtimeIdentifiers) => BaseImageInference.Infer(new ProjectTraits
    {
        SdkVersion = sdkVersion,
        TargetFrameworkVersion = "10.0",
        RuntimeIdentifiers = runtimeIdentifiers.Split(';'),
    });

    private static void ManifestType(string format, LayerCompression compression, string baseLayerType)
    {
        var layer = new Descriptor { MediaType = baseLayerType, Digest = Sha, Size = 1 };
        var config = new System.Text.Json.Nodes.JsonObject
        {
            ["architecture"] = "amd64", ["os"] = "linux",
            ["rootfs"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "layers", ["diff_ids"] = new System.Text.Json.Nodes.JsonArray(Sha) },
        };
        var manifest = new ImageManifest { MediaType = MediaTypes.OciManifest, Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Sha, Size = 1 }, Layers = [layer] };
        var request = new ContainerPublishRequest
        {
            BaseImage = ImageReference.Parse("registry.example.com/base:1"),
            Platform = new Platform("amd64", "linux"),
            RuntimeIdentifier = "linux-x64",
            PublishDirectory = "/nowhere",
            AppDirectory = "/app/",
            Settings = new ImageSettings { ManifestMediaType = InputParsers.ParseImageFormat(format) },
            Destination = ImageDestination.Registry(ImageReference.Parse("registry.example.com/app")),
            Tags = ["latest"],
            WorkDirectory = "/nowhere",
            Compression = compression,
        };
        ContainerPublisher.ManifestMediaType(request, SampleImages.FromParts(manifest, config));
    }

    private static void FindCredential(string scratch, string configJson)
    {
        Directory.CreateDirectory(Path.Combine(scratch, "home", ".docker"));
        File.WriteAllText(Path.Combine(scratch, "home", ".docker", "config.json"), configJson);
        var source = new DockerConfigCredentialSource(new Dictionary<string, string> { ["HOME"] = Path.Combine(scratch, "home"), ["PATH"] = "/nowhere" });
        source.FindAsync("r.example.com", RegistryAccess.Push, CancellationToken.None).GetAwaiter().GetResult();
    }
}
