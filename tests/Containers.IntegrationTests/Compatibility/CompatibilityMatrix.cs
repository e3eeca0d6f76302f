using static Containers.IntegrationTests.Compatibility.MSBuildXml;

namespace Containers.IntegrationTests.Compatibility;

/// <summary>
/// The project configurations published with the SDK's built-in and with ours. Settings are written as a user writes
/// them in a project file. Where ours differs on purpose, the case names the difference (see docs/compatibility.md).
/// </summary>
public static class CompatibilityMatrix
{
    private static readonly Dictionary<string, string> SelfContained = new() { ["RuntimeIdentifier"] = "linux-x64", ["SelfContained"] = "true" };

    private const string LabelValues = """
          <PropertyGroup>
            <Description>A compatibility test app</Description>
            <Authors>Compat Team</Authors>
            <PackageProjectUrl>https://example.com/compat</PackageProjectUrl>
            <PackageVersion>1.2.3</PackageVersion>
            <PackageLicenseExpression>MIT</PackageLicenseExpression>
            <Title>Compat App</Title>
            <ContainerVendor>Example Corp</ContainerVendor>
          </PropertyGroup>
        """;

    public static IReadOnlyList<CompatibilityCase> Cases { get; } =
    [
        // ---- console app: process
        new() { Name = "console-defaults" },
        new() { Name = "console-instruction-entrypoint", Settings = Properties(("ContainerAppCommandInstruction", "Entrypoint")) },
        new() { Name = "console-instruction-defaultargs", Settings = Properties(("ContainerAppCommandInstruction", "DefaultArgs")) },
        new()
        {
            Name = "console-instruction-none",
            Settings = Properties(("ContainerAppCommandInstruction", "None")) + Items(
                """<ContainerEntrypoint Include="dotnet;/app/ConsoleApp.dll" />""",
                """<ContainerDefaultArgs Include="--verbose" />"""),
        },
        new()
        {
            Name = "console-appcommand-args",
            Settings = Items("""<ContainerAppCommandArgs Include="--mode;fast" />""", """<ContainerDefaultArgs Include="--config;/etc/app.json" />"""),
        },
        new() { Name = "console-custom-appcommand", Settings = Items("""<ContainerAppCommand Include="/usr/bin/dotnet;exec;/app/ConsoleApp.dll" />""") },
        new() { Name = "console-legacy-entrypoint", Settings = Items("""<ContainerEntrypoint Include="/usr/bin/dotnet;/app/ConsoleApp.dll" />""") },
        new()
        {
            Name = "console-legacy-entrypoint-args",
            Settings = Items("""<ContainerEntrypointArgs Include="--legacy" />"""),
            Differences = [KnownDifference.EntrypointArgsWarning],
        },
        new() { Name = "console-user", Settings = Properties(("ContainerUser", "root")) },
        new() { Name = "console-working-directory", Settings = Properties(("ContainerWorkingDirectory", "/srv/app/")) },
        new()
        {
            Name = "console-working-directory-no-slash",
            Settings = Properties(("ContainerWorkingDirectory", "/srv/app")),
            Differences = [KnownDifference.WorkingDirectorySeparator("/srv/app")],
        },
        new() { Name = "console-runtime-identifier", Settings = Properties(("ContainerRuntimeIdentifier", "linux-x64")) },
        new()
        {
            Name = "console-empty-values",
            Settings = Properties(("ContainerUser", " "), ("ContainerWorkingDirectory", " ")) + Items(
                """<ContainerLabel Include="com.example.no-value" />""",
                """<ContainerEnvironmentVariable Include="NO_VALUE" />""",
                """<ContainerDefaultArgs Include=" " />"""),
        },

        // ---- console app: ports and variables
        new()
        {
            Name = "console-ports",
            Settings = Items("""<ContainerPort Include="5000" Type="tcp" />""", """<ContainerPort Include="5001" Type="udp" />""", """<ContainerPort Include="6000" />"""),
        },
        new()
        {
            Name = "console-environment",
            Settings = Items(
                """<ContainerEnvironmentVariable Include="FEATURE_FLAG" Value="on" />""",
                """<ContainerEnvironmentVariable Include="DOTNET_VERSION" Value="overridden" />""",
                """<ContainerEnvironmentVariable Include="COLLECTOR_URL" Value="http://collector:4317/v1/traces" />"""),
        },
        new()
        {
            Name = "console-environment-urls",
            Settings = Items("""<ContainerEnvironmentVariable Include="ASPNETCORE_URLS" Value="http://+:5005;https://+:5006" />"""),
        },
        new()
        {
            Name = "console-environment-invalid",
            Settings = Items(
                """<ContainerEnvironmentVariable Include="1STARTS_WITH_DIGIT" Value="x" />""",
                """<ContainerEnvironmentVariable Include="has-dash" Value="y" />""",
                """<ContainerEnvironmentVariable Include="VALID_NAME" Value="z" />"""),
        },

        // ---- console app: labels
        new()
        {
            Name = "console-labels",
            Settings = LabelValues + Items(
                """<ContainerLabel Include="com.example.team" Value="core" />""",
                """<ContainerLabel Include="com.example.endpoint" Value="http://host:8080/x" />"""),
        },
        new()
        {
            Name = "console-labels-off",
            Settings = LabelValues + Properties(("ContainerGenerateLabels", "false")) + Items("""<ContainerLabel Include="com.example.team" Value="core" />"""),
            Differences = [KnownDifference.ExplicitLabelsKept(("com.example.team", "core"))],
        },
        new()
        {
            Name = "console-labels-off-digest-on",
            Settings = Properties(("ContainerGenerateLabels", "false"), ("ContainerGenerateLabelsImageBaseDigest", "true")),
            Differences = [KnownDifference.DigestLabelWarning],
        },
        new()
        {
            Name = "console-label-switches-off",
            Settings = LabelValues + Properties(
                ("ContainerGenerateLabelsImageCreated", "false"), ("ContainerGenerateLabelsImageDescription", "false"),
                ("ContainerGenerateLabelsImageAuthors", "false"), ("ContainerGenerateLabelsImageUrl", "false"),
                ("ContainerGenerateLabelsImageDocumentation", "false"), ("ContainerGenerateLabelsImageSource", "false"),
                ("ContainerGenerateLabelsImageVersion", "false"), ("ContainerGenerateLabelsImageRevision", "false"),
                ("ContainerGenerateLabelsImageVendor", "false"), ("ContainerGenerateLabelsImageLicenses", "false"),
                ("ContainerGenerateLabelsImageTitle", "false"), ("ContainerGenerateLabelsImageBaseDigest", "false"),
                ("ContainerGenerateLabelsImageBaseName", "false"), ("ContainerGenerateLabelsDotnetToolset", "false")),
        },
        new()
        {
            Name = "console-label-switches-some",
            Settings = LabelValues + Properties(
                ("ContainerGenerateLabelsImageCreated", "false"), ("ContainerGenerateLabelsImageBaseName", "false"),
                ("ContainerGenerateLabelsImageBaseDigest", "false"), ("ContainerGenerateLabelsDotnetToolset", "false"),
                ("ContainerGenerateLabelsImageLicenses", "false"), ("ContainerDocumentationUrl", "https://docs.example.com/compat")),
        },
        new()
        {
            Name = "console-source-labels",
            Settings = Properties(
                ("PublishRepositoryUrl", "true"), ("RepositoryType", "git"),
                ("PrivateRepositoryUrl", "https://github.com/example/compat.git"), ("SourceRevisionId", "0123456789abcdef")),
        },

        // ---- console app: names, tags, formats
        new() { Name = "console-tags", Settings = Properties(("ContainerImageTags", "1.0;1.0.1;latest")) },
        new() { Name = "console-tag", Settings = Properties(("ContainerImageTag", "2.0.0-preview.1")) },
        new()
        {
            Name = "console-repository-uppercase",
            Settings = Properties(("ContainerRepository", "Compat/UpperCase")),
            Repository = "compat/uppercase",
            Differences = [KnownDifference.RepositoryNormalizationWarning],
        },
        new()
        {
            Name = "console-repository-spaces",
            Settings = Properties(("ContainerRepository", "compat/with spaces")),
            Repository = "compat/with-spaces",
            Differences = [KnownDifference.RepositoryNormalizationWarning],
        },
        new()
        {
            Name = "console-image-name",
            Settings = Properties(("ContainerImageName", "compat/legacy-image-name")),
            Repository = "compat/legacy-image-name",
        },
        new() { Name = "console-format-docker", Settings = Properties(("ContainerImageFormat", "Docker")) },
        new() { Name = "console-format-oci", Settings = Properties(("ContainerImageFormat", "OCI")) },
        new() { Name = "console-visual-studio", Settings = Properties(("PublishImageTag", "vs-1")), UsesRegistryUrl = true },
        new() { Name = "console-auto-tag", Settings = Properties(("AutoGenerateImageTag", "true")), Differences = [KnownDifference.AutoTag24Hour] },
        new() { Name = "console-family", Settings = Properties(("ContainerFamily", "noble-chiseled")) },

        // ---- console app on a base image with its own entrypoint, cmd, volumes, stop signal, labels, ports and user
        new() { Name = "console-custom-base", Base = "runtime-custom" },
        new() { Name = "console-custom-base-defaultargs", Base = "runtime-custom", Settings = Properties(("ContainerAppCommandInstruction", "DefaultArgs")) },
        new()
        {
            Name = "console-custom-base-none",
            Base = "runtime-custom",
            Settings = Properties(("ContainerAppCommandInstruction", "None")) + Items("""<ContainerDefaultArgs Include="--from-project" />"""),
        },

        // ---- web app
        new() { Name = "web-defaults", App = AppKind.Web },
        new()
        {
            Name = "web-http-ports",
            App = AppKind.Web,
            Settings = Items(
                """<ContainerEnvironmentVariable Include="ASPNETCORE_HTTP_PORTS" Value="5000;5001" />""",
                """<ContainerEnvironmentVariable Include="ASPNETCORE_HTTPS_PORTS" Value="5443" />"""),
        },
        new()
        {
            Name = "web-urls-and-port",
            App = AppKind.Web,
            Settings = Items(
                """<ContainerEnvironmentVariable Include="ASPNETCORE_URLS" Value="http://*:7000" />""",
                """<ContainerPort Include="9090" Type="tcp" />"""),
        },
        new() { Name = "web-family-user", App = AppKind.Web, Settings = Properties(("ContainerFamily", "noble-chiseled"), ("ContainerUser", "app")) },

        // ---- worker app
        new() { Name = "worker-defaults", App = AppKind.Worker },
        new()
        {
            Name = "worker-settings",
            App = AppKind.Worker,
            Settings = Properties(("ContainerUser", "1000"), ("ContainerWorkingDirectory", "/worker/"))
                + Items("""<ContainerEnvironmentVariable Include="DOTNET_ENVIRONMENT" Value="Production" />"""),
        },

        // ---- self-contained console app (runtime-deps)
        new() { Name = "console-self-contained", Build = SelfContained },
        new()
        {
            Name = "console-self-contained-defaultargs",
            Build = SelfContained,
            Settings = Properties(("ContainerAppCommandInstruction", "DefaultArgs"), ("ContainerWorkingDirectory", "/opt/app/")),
        },

        // ---- an assembly name that is not a valid repository name
        new()
        {
            Name = "console-assembly-name",
            Build = new Dictionary<string, string> { ["AssemblyName"] = "Compat.Renamed.Tool" },
            Repository = "compat-renamed-tool",
            Differences = [KnownDifference.RepositoryNormalizationWarning],
        },

        // ---- inference only: what only the SDK can build (AOT, trimming), other RIDs, frameworks and SDK versions
        Inference("infer-self-contained", Properties(("RuntimeIdentifier", "linux-x64"), ("SelfContained", "true"))),
        Inference("infer-trimmed", Properties(("RuntimeIdentifier", "linux-x64"), ("SelfContained", "true"), ("PublishTrimmed", "true"))),
        Inference("infer-trimmed-invariant", Properties(("RuntimeIdentifier", "linux-x64"), ("SelfContained", "true"), ("PublishTrimmed", "true"), ("InvariantGlobalization", "true"))),
        Inference("infer-aot", Properties(("RuntimeIdentifier", "linux-x64"), ("PublishAot", "true"))),
        Inference("infer-aot-invariant", Properties(("RuntimeIdentifier", "linux-x64"), ("PublishAot", "true"), ("InvariantGlobalization", "true"))),
        Inference("infer-musl", Properties(("RuntimeIdentifier", "linux-musl-x64"))),
        Inference("infer-musl-self-contained", Properties(("RuntimeIdentifier", "linux-musl-x64"), ("SelfContained", "true"))),
        Inference("infer-musl-aot", Properties(("RuntimeIdentifier", "linux-musl-x64"), ("PublishAot", "true"))),
        Inference("infer-musl-aot-invariant", Properties(("RuntimeIdentifier", "linux-musl-x64"), ("PublishAot", "true"), ("InvariantGlobalization", "true"))),
        Inference("infer-family-alpine", Properties(("ContainerFamily", "alpine"))),
        Inference("infer-family-chiseled-invariant", Properties(("ContainerFamily", "jammy-chiseled"), ("InvariantGlobalization", "true"))),
        Inference("infer-arm64", Properties(("ContainerRuntimeIdentifier", "linux-arm64"))),
        Inference("infer-multi-rid", Properties(("RuntimeIdentifiers", "linux-x64;linux-arm64"))),
        Inference("infer-multi-rid-musl", Properties(("ContainerRuntimeIdentifiers", "linux-musl-x64;linux-musl-arm64"))),
        Inference("infer-mixed-musl", Properties(("ContainerRuntimeIdentifiers", "linux-x64;linux-musl-x64")), KnownDifference.MixedMuslCoded),
        Inference("infer-net8", Properties(("TargetFramework", "net8.0"))),
        Inference("infer-net8-aot", Properties(("TargetFramework", "net8.0"), ("RuntimeIdentifier", "linux-x64"), ("PublishAot", "true"))),
        Inference("infer-user-base", Properties(("ContainerBaseImage", "registry.example.com/team/base:1.2"))),
        Inference("infer-sdk-preview", Properties(("NETCoreSdkVersion", "10.0.100-preview.7.25380.108"))),
        Inference("infer-sdk-rc", Properties(("NETCoreSdkVersion", "10.0.100-rc.2.25502.107"))),
        Inference("infer-sdk-alpha", Properties(("NETCoreSdkVersion", "10.0.100-alpha.1.25060.1"))),
        Inference("infer-sdk-preview-family", Properties(("NETCoreSdkVersion", "10.0.100-preview.7.25380.108"), ("ContainerFamily", "noble-chiseled"))),
        Inference("infer-sdk-feature-band-preview", Properties(("NETCoreSdkVersion", "10.0.200-preview.1.25580.1"))),
        Inference("infer-web-family", Properties(("ContainerFamily", "noble-chiseled")), app: AppKind.Web),
        Inference("infer-web-aot", Properties(("RuntimeIdentifier", "linux-x64"), ("PublishAot", "true")), app: AppKind.Web),
        Inference("infer-worker-aot-invariant", Properties(("RuntimeIdentifier", "linux-x64"), ("PublishAot", "true"), ("InvariantGlobalization", "true")), app: AppKind.Worker),
    ];

    public static CompatibilityCase Get(string name) => Cases.Single(c => c.Name == name);

    private static CompatibilityCase Inference(string name, string settings, KnownDifference? difference = null, AppKind app = AppKind.Console) => new()
    {
        Name = name,
        App = app,
        Settings = settings,
        InferenceOnly = true,
        Differences = difference is null ? [] : [difference],
    };
}
