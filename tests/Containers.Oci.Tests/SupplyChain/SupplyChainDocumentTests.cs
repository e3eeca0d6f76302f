using System.Text;
using System.Text.Json.Nodes;
using Containers.Oci.SupplyChain;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.SupplyChain;

/// <summary>The documents' shape (golden files), and that the same facts give the same bytes.</summary>
public sealed class SupplyChainDocumentTests : IDisposable
{
    private const string ImageDigest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string BaseDigest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private SbomFacts Facts(string digest = ImageDigest)
    {
        var (deps, assets) = AppGraphReaderTests.Inputs(_temp);
        return new SbomFacts
        {
            ImageDigest = digest,
            ImageName = "registry.example.com/team/app",
            Platform = "linux/amd64",
            Created = DateTimeOffset.FromUnixTimeSeconds(1700000000),
            Components = AppGraphReader.Read(deps, assets, "App", "2.0.0"),
            BaseImage = new BaseImageFacts
            {
                Reference = "registry.example.com/dotnet/aspnet:10.0",
                Digest = BaseDigest,
                OsId = "debian",
                OsVersion = "12",
                OsPackages = [new OsPackage("libc6", "2.36-9+deb12u10", "amd64", "glibc"), new OsPackage("zlib1g", "1:1.2.13.dfsg-1", "amd64", "zlib")],
                Frameworks = [("Microsoft.NETCore.App", "10.0.1"), ("Microsoft.AspNetCore.App", "10.0.1")],
            },
            Tool = ("Containers.Build", "1.2.3"),
        };
    }

    private static ProvenanceFacts Provenance(SbomFacts facts, CiRun? run = null) => new()
    {
        ImageName = facts.ImageName,
        ImageDigest = facts.ImageDigest,
        ExternalParameters = new Dictionary<string, JsonNode?>
        {
            ["ContainerRepository"] = "team/app",
            ["ContainerImageTags"] = new JsonArray("1.0", "latest"),
            ["ContainerBaseImage"] = facts.BaseImage.Reference,
        },
        BaseImageReference = facts.BaseImage.Reference,
        BaseImageDigest = facts.BaseImage.Digest,
        Source = new GitSource("https://git.example/team/app.git", "0123456789abcdef0123456789abcdef01234567"),
        Packages = facts.Components,
        Tool = facts.Tool,
        SdkVersion = "10.0.401",
        Run = run,
    };

    // Paths of this machine's temporary folder do not reach the documents: only names, versions and hashes do.
    [Fact]
    public void CycloneDx_HasTheGoldenShape() => GoldenFile.AssertMatches("sbom-cyclonedx", Encoding.UTF8.GetString(CycloneDxWriter.Write(Facts())));

    [Fact]
    public void Spdx_HasTheGoldenShape() => GoldenFile.AssertMatches("sbom-spdx", Encoding.UTF8.GetString(SpdxWriter.Write(Facts())));

    [Fact]
    public void Provenance_HasTheGoldenShape() => GoldenFile.AssertMatches("provenance-slsa", Encoding.UTF8.GetString(ProvenanceWriter.Write(Provenance(Facts()))));

    [Fact]
    public void TheSameFacts_GiveTheSameBytes_AndAnotherImageAnotherSerialNumber()
    {
        Assert.Equal(CycloneDxWriter.Write(Facts()), CycloneDxWriter.Write(Facts()));
        Assert.Equal(SpdxWriter.Write(Facts()), SpdxWriter.Write(Facts()));
        Assert.Equal(ProvenanceWriter.Write(Provenance(Facts())), ProvenanceWriter.Write(Provenance(Facts())));

        var serial = JsonNode.Parse(CycloneDxWriter.Write(Facts()))!["serialNumber"]!.GetValue<string>();
        var other = JsonNode.Parse(CycloneDxWriter.Write(Facts("sha256:" + new string('3', 64))))!["serialNumber"]!.GetValue<string>();
        Assert.Matches("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", serial);
        Assert.NotEqual(serial, other);
    }

    [Fact]
    public void ACiRun_IsTheOnlyPartOfTheProvenanceThatNamesTheRun()
    {
        var run = CiRun.From(new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_SERVER_URL"] = "https://github.example", ["GITHUB_REPOSITORY"] = "team/app",
            ["GITHUB_RUN_ID"] = "42", ["GITHUB_RUN_ATTEMPT"] = "2",
        });
        Assert.Equal(new CiRun("github-actions", "https://github.example/team/app/actions/runs/42/attempts/2"), run);

        var with = JsonNode.Parse(ProvenanceWriter.Write(Provenance(Facts(), run)))!;
        var without = JsonNode.Parse(ProvenanceWriter.Write(Provenance(Facts())))!;

        Assert.Equal(run!.InvocationId, with["predicate"]!["runDetails"]!["metadata"]!["invocationId"]!.GetValue<string>());
        Assert.Equal(without["predicate"]!["buildDefinition"]!.ToJsonString(), with["predicate"]!["buildDefinition"]!.ToJsonString());
        Assert.Null(CiRun.From(new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("https://user:ghp_secret@git.example/team/app.git", "https://git.example/team/app.git")]
    [InlineData("git@git.example:team/app.git", "git@git.example:team/app.git")]
    [InlineData("https://git.example/team/app.git", "https://git.example/team/app.git")]
    public void AGitRemotesCredentials_NeverReachTheProvenance(string remote, string expected)
        => Assert.Equal(expected, GitSource.WithoutCredentials(remote));
}
