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

    /// <summary>ContainerPackage installs sit in the image beside the base, with the .deb's hash; one the base has is not listed twice.</summary>
    [Fact]
    public void OsPackagesThePublishInstalled_AreInTheImage_NotInTheBase_WithTheirHash()
    {
        var sha = new string('a', 64);
        var facts = Facts() with
        {
            AddedOsPackages = [new("libicu72", "72.1-3", "amd64", sha), new("zlib1g", "1:1.2.13.dfsg-1", "amd64", null)],
        };
        const string purl = "pkg:deb/debian/libicu72@72.1-3?arch=amd64";

        var cdx = JsonNode.Parse(CycloneDxWriter.Write(facts))!;
        var top = cdx["components"]!.AsArray().Single(c => c!["purl"]?.GetValue<string>() == purl)!;
        Assert.Equal(sha, top["hashes"]![0]!["content"]!.GetValue<string>());
        Assert.Contains(purl, cdx["dependencies"]!.AsArray().Single(d => d!["ref"]!.GetValue<string>() == "image")!["dependsOn"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.DoesNotContain(cdx["components"]!.AsArray(), c => c!["name"]!.GetValue<string>() == "zlib1g");
        var bomRefs = BomRefs(cdx).ToList();
        Assert.Equal(bomRefs.Count, bomRefs.Distinct().Count());

        var spdx = JsonNode.Parse(SpdxWriter.Write(facts))!;
        var package = spdx["packages"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "libicu72")!;
        Assert.Equal(sha, package["checksums"]![0]!["checksumValue"]!.GetValue<string>());
        var image = spdx["documentDescribes"]![0]!.GetValue<string>();
        Assert.Contains(spdx["relationships"]!.AsArray(), r => r!["spdxElementId"]!.GetValue<string>() == image
            && r["relationshipType"]!.GetValue<string>() == "CONTAINS" && r["relatedSpdxElement"]!.GetValue<string>() == package["SPDXID"]!.GetValue<string>());
        Assert.Single(spdx["packages"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "zlib1g");
    }

    private static IEnumerable<string> BomRefs(JsonNode? node) => node switch
    {
        JsonObject o => (o["bom-ref"] is { } r ? [r.GetValue<string>()] : Array.Empty<string>()).Concat(o.Select(p => p.Value).SelectMany(BomRefs)),
        JsonArray a => a.SelectMany(BomRefs),
        _ => [],
    };

    [Theory]
    [InlineData("https://user:ghp_secret@git.example/team/app.git", "https://git.example/team/app.git")]
    [InlineData("git@git.example:team/app.git", "git@git.example:team/app.git")]
    [InlineData("https://git.example/team/app.git", "https://git.example/team/app.git")]
    public void AGitRemotesCredentials_NeverReachTheProvenance(string remote, string expected)
        => Assert.Equal(expected, GitSource.WithoutCredentials(remote));
}
