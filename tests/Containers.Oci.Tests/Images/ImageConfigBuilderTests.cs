using System.Text.Json.Nodes;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Images;

public class ImageConfigBuilderTests
{
    private const string BaseDiffId = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string NewDiffId = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private static readonly DateTimeOffset Created = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>A base config shaped like the official aspnet image's, with every field the builder must keep or drop.</summary>
    public static JsonObject AspNetBase() => JsonNode.Parse($$"""
        {
          "architecture": "arm64",
          "os": "linux",
          "variant": "v8",
          "created": "2023-06-01T00:00:00.123456789Z",
          "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "APP_UID=1654", "ASPNETCORE_HTTP_PORTS=8080", "DOTNET_RUNNING_IN_CONTAINER=true"],
            "Labels": { "org.opencontainers.image.version": "10.0.0", "base.only": "kept" },
            "Volumes": { "/data": {} },
            "StopSignal": "SIGTERM",
            "Entrypoint": ["/usr/bin/base-entry"],
            "Cmd": ["base-cmd"],
            "WorkingDir": "/base",
            "User": "root",
            "Healthcheck": { "Test": ["CMD", "true"] },
            "OnBuild": ["RUN true"],
            "Shell": ["/bin/sh", "-c"]
          },
          "rootfs": { "type": "layers", "diff_ids": ["{{BaseDiffId}}"] },
          "history": [ { "created": "2023-06-01T00:00:00Z", "created_by": "base layer" } ]
        }
        """)!.AsObject();

    private static string NewLayer(string diffId = NewDiffId) => diffId;

    private static JsonObject Build(JsonObject baseConfig, ImageSettings settings)
        => ImageConfigBuilder.Build(baseConfig, settings, [NewLayer()], ["app files"]);

    private static string[] Env(JsonObject config) => config["config"]!["Env"]!.AsArray().Select(e => e!.GetValue<string>()).ToArray();

    private static string[] Keys(JsonNode? node) => node?.AsObject().Select(p => p.Key).ToArray() ?? [];

    [Fact]
    public void Build_TypicalAspNetApp_MatchesGolden()
    {
        var settings = new ImageSettings
        {
            Entrypoint = ["/app/App"],
            Cmd = ["--verbose"],
            WorkingDirectory = "/app/",
            Environment = [new("ASPNETCORE_HTTP_PORTS", "9090"), new("MY_SETTING", "a=b")],
            Labels = [new("org.opencontainers.image.version", "1.2.3"), new("org.opencontainers.image.title", "App")],
            Ports = [new ExposedPort(5000, PortType.Udp)],
            Created = Created,
        };

        GoldenFile.AssertMatches("config-aspnet-app", Build(AspNetBase(), settings).ToJsonString());
    }

    [Fact]
    public void Build_NoSettings_MatchesGolden()
        => GoldenFile.AssertMatches("config-no-settings", Build(AspNetBase(), new ImageSettings()).ToJsonString());

    [Fact]
    public void Build_TheUser_ComesFromAppUid_OverTheBasesUser()
        => Assert.Equal("1654", Build(AspNetBase(), new ImageSettings())["config"]!["User"]!.GetValue<string>());

    [Fact]
    public void Build_AnExplicitUser_WinsOverAppUid()
        => Assert.Equal("app", Build(AspNetBase(), new ImageSettings { User = "app" })["config"]!["User"]!.GetValue<string>());

    [Fact]
    public void Build_WithoutAppUid_KeepsTheBasesUser()
    {
        var baseConfig = AspNetBase();
        baseConfig["config"]!["Env"] = new JsonArray("PATH=/bin");

        Assert.Equal("root", Build(baseConfig, new ImageSettings())["config"]!["User"]!.GetValue<string>());
    }

    [Fact]
    public void Build_AnAppUidSetByTheUser_BecomesTheUser()
        => Assert.Equal("2000", Build(AspNetBase(), new ImageSettings { Environment = [new("APP_UID", "2000")] })["config"]!["User"]!.GetValue<string>());

    [Fact]
    public void Build_Env_KeepsTheBasesOrder_AnOverrideKeepsItsPlace_NewVariablesFollow()
    {
        var config = Build(AspNetBase(), new ImageSettings { Environment = [new("NEW", "1"), new("APP_UID", "42"), new("NEW", "2")] });

        Assert.Equal(
            [
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "APP_UID=42",
                "ASPNETCORE_HTTP_PORTS=8080",
                "DOTNET_RUNNING_IN_CONTAINER=true",
                "NEW=2",
            ],
            Env(config));
    }

    [Fact]
    public void Build_PortsFromAspNetCoreUrls_WinOverThePortsVariables()
    {
        var config = Build(AspNetBase(), new ImageSettings
        {
            Environment = [new("ASPNETCORE_URLS", "http://+:5000;https://*:5001"), new("ASPNETCORE_HTTPS_PORTS", "8443")],
        });

        Assert.Equal(["5000/tcp", "5001/tcp"], Keys(config["config"]!["ExposedPorts"]));
    }

    [Fact]
    public void Build_PortsFromHttpAndHttpsPortVariables_AndItems_AreMergedWithTheBasesAndSorted()
    {
        var baseConfig = AspNetBase();
        baseConfig["config"]!["ExposedPorts"] = new JsonObject { ["22/tcp"] = new JsonObject() };

        var config = Build(baseConfig, new ImageSettings
        {
            Environment = [new("ASPNETCORE_HTTPS_PORTS", "8443;8444")],
            Ports = [new ExposedPort(53, PortType.Udp), new ExposedPort(8080, PortType.Tcp)],
        });

        Assert.Equal(["22/tcp", "53/udp", "8080/tcp", "8443/tcp", "8444/tcp"], Keys(config["config"]!["ExposedPorts"]));
    }

    [Fact]
    public void Build_Labels_BaseThenSettings_SettingsWin_SortedOrdinally()
    {
        var config = Build(AspNetBase(), new ImageSettings { Labels = [new("org.opencontainers.image.version", "2.0"), new("Z", "z")] });
        var labels = config["config"]!["Labels"]!.AsObject();

        Assert.Equal(["Z", "base.only", "org.opencontainers.image.version"], Keys(labels));
        Assert.Equal("2.0", labels["org.opencontainers.image.version"]!.GetValue<string>());
        Assert.Equal("kept", labels["base.only"]!.GetValue<string>());
    }

    [Fact]
    public void Build_OfTheBasesOtherFields_KeepsOnlyVolumesAndStopSignal()
    {
        var inner = Build(AspNetBase(), new ImageSettings())["config"]!.AsObject();

        Assert.Equal(["ExposedPorts", "Labels", "Env", "User", "Volumes", "StopSignal"], Keys(inner));
        Assert.Equal("SIGTERM", inner["StopSignal"]!.GetValue<string>());
        Assert.Equal(["/data"], Keys(inner["Volumes"]));
    }

    [Fact]
    public void Build_DiffIds_AreTheBasesThenTheNewLayers_AndHistoryIsAppended()
    {
        var config = ImageConfigBuilder.Build(AspNetBase(), new ImageSettings { Created = Created },
            [NewLayer(), NewLayer("sha256:" + new string('4', 64))], ["dependencies", "app"]);

        Assert.Equal([BaseDiffId, NewDiffId, "sha256:" + new string('4', 64)],
            config["rootfs"]!["diff_ids"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal("layers", config["rootfs"]!["type"]!.GetValue<string>());
        var history = config["history"]!.AsArray();
        Assert.Equal(3, history.Count);
        Assert.Equal("base layer", history[0]!["created_by"]!.GetValue<string>());
        Assert.Equal("Containers.Build: dependencies", history[1]!["created_by"]!.GetValue<string>());
        Assert.Equal("Containers.Build: app", history[2]!["created_by"]!.GetValue<string>());
        Assert.All(history.Skip(1), h => Assert.Equal("2024-01-02T03:04:05Z", h!["created"]!.GetValue<string>()));
    }

    [Fact]
    public void Build_KeepsTheBasesPlatform_IncludingTheVariant()
    {
        var config = Build(AspNetBase(), new ImageSettings());

        Assert.Equal(("arm64", "linux", "v8"),
            (config["architecture"]!.GetValue<string>(), config["os"]!.GetValue<string>(), config["variant"]!.GetValue<string>()));
    }

    [Fact]
    public void Build_Created_IsRfc3339InUtc_WholeSeconds()
    {
        var config = Build(AspNetBase(), new ImageSettings { Created = new DateTimeOffset(2024, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2)) });

        Assert.Equal("2024-01-02T01:04:05Z", config["created"]!.GetValue<string>());
    }

    [Fact]
    public void Build_LeavesTheBaseConfigUnchanged()
    {
        var baseConfig = AspNetBase();
        var before = baseConfig.ToJsonString();

        Build(baseConfig, new ImageSettings { Environment = [new("X", "1")], Labels = [new("l", "v")] });

        Assert.Equal(before, baseConfig.ToJsonString());
    }

    [Fact]
    public void Build_AnEmptyBase_GivesAConfigWithOnlyTheNewLayer()
    {
        var config = Build(JsonNode.Parse("""{"architecture":"amd64","os":"linux"}""")!.AsObject(), new ImageSettings { Created = Created });

        Assert.Equal([NewDiffId], config["rootfs"]!["diff_ids"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Empty(config["config"]!.AsObject());
        Assert.Single(config["history"]!.AsArray());
        Assert.Null(config["variant"]);
    }

    [Fact]
    public void Rfc3339_FormatsUtcWithoutFractions()
        => Assert.Equal("1970-01-01T00:00:00Z", ImageConfigBuilder.Rfc3339(DateTimeOffset.UnixEpoch));
}
