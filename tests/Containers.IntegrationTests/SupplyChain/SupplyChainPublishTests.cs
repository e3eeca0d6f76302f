using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;
using Containers.IntegrationTests.MultiArch;

namespace Containers.IntegrationTests.SupplyChain;

/// <summary>
/// Issue 14: a publish attaches an SBOM and a SLSA provenance statement to each platform image as OCI 1.1 referrers.
/// Read back from the real registry (no referrers API: the fallback tag) with plain HTTP, validated by independent
/// validators against the official schemas, checked against the publish's own .deps.json, and the same bytes again on
/// an unchanged re-publish.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class SupplyChainPublishTests(RegistryFixture registry, ITestOutputHelper output)
{
    private const string CycloneDx = "application/vnd.cyclonedx+json";
    private const string Spdx = "application/spdx+json";
    private const string InToto = "application/vnd.in-toto+json";
    private const string SigstoreBundle = "application/vnd.dev.sigstore.bundle.v0.3+json";

    [Fact]
    public async Task HeavyWebApp_GetsAValidCycloneDxSbom_ListingEveryShippedPackage_AndItsBasesOsPackages_AndTheSameBytesOnARepublish()
    {
        var baseImage = await DpkgBaseImage.GetAsync(registry, "aspnet");
        var project = await TestProject.FromSampleAsync("HeavyWebApp");
        var repository = RegistryFixture.UniqueRepository("heavy-sbom");
        string[] properties = [$"ContainerRegistry={registry.Registry}", $"ContainerRepository={repository}", "ContainerImageTag=1.0", $"ContainerBaseImage={baseImage}"];

        await project.PublishContainerAsync(properties);
        var result = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(project.Directory, "bin", "Release", "net10.0", "HeavyWebApp.container.json")))!;
        var digest = result["digest"]!.GetValue<string>();
        var referrers = await ReferrerReader.ReadAsync(registry.Registry, repository, digest);

        Assert.Equal([CycloneDx, InToto], referrers.Select(r => r.ArtifactType).Order(StringComparer.Ordinal));
        Assert.All(referrers, r => Assert.Equal(digest, r.Manifest["subject"]!["digest"]!.GetValue<string>()));
        var sbomBytes = referrers.Single(r => r.ArtifactType == CycloneDx).Content;
        Assert.Null(await SbomValidator.ErrorsAsync("cyclonedx", sbomBytes));

        // The file beside the publish output is the attached document, and the result file names it.
        var sbomFile = Assert.Single(result["sbom"]!.AsArray())!.GetValue<string>();
        Assert.Equal(Path.Combine(project.Directory, "bin", "Release", "net10.0", "HeavyWebApp.cdx.json"), sbomFile);
        Assert.Equal(sbomBytes, await File.ReadAllBytesAsync(sbomFile));

        // Every package of the .deps.json, with its purl and the hash restore verified.
        var sbom = JsonNode.Parse(sbomBytes)!;
        var components = sbom["components"]!.AsArray().Select(c => c!.AsObject()).ToList();
        var byPurl = components.Where(c => c["purl"] is not null).ToDictionary(c => c["purl"]!.GetValue<string>());
        var deps = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(project.PublishDirectory(), "HeavyWebApp.deps.json")))!;
        var packages = deps["libraries"]!.AsObject().Where(l => l.Value!["type"]!.GetValue<string>() == "package").ToList();
        Assert.True(packages.Count > 40, $"only {packages.Count} packages in the .deps.json");
        foreach (var (key, library) in packages)
        {
            var (name, version) = (key[..key.IndexOf('/')], key[(key.IndexOf('/') + 1)..]);
            Assert.True(byPurl.TryGetValue($"pkg:nuget/{name}@{version}", out var component), $"{key} is not in the SBOM");
            var hex = Convert.ToHexStringLower(Convert.FromBase64String(library!["sha512"]!.GetValue<string>()["sha512-".Length..]));
            Assert.Equal(hex, component!["hashes"]![0]!["content"]!.GetValue<string>());
        }
        Assert.Equal("MIT", byPurl["pkg:nuget/Newtonsoft.Json@13.0.4"]["licenses"]![0]!["expression"]!.GetValue<string>());
        Assert.Contains(components, c => c["type"]!.GetValue<string>() == "application" && c["name"]!.GetValue<string>() == "HeavyWebApp");

        // The base: its digest, the runtime its environment names, and the OS packages of its dpkg records.
        var baseComponent = components.Single(c => c["bom-ref"]!.GetValue<string>() == "base-image");
        var baseDigest = (await Skopeo.InspectAsync(baseImage.ToString()))["Digest"]!.GetValue<string>();
        Assert.Equal(baseDigest, baseComponent["version"]!.GetValue<string>());
        var baseParts = baseComponent["components"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("Microsoft.AspNetCore.App", baseParts);
        foreach (var package in DpkgBaseImage.Packages)
        {
            var version = await DpkgBaseImage.VersionAsync(package);
            Assert.Contains(baseComponent["components"]!.AsArray(), c => c!["purl"]?.GetValue<string>().StartsWith($"pkg:deb/debian/{package}@", StringComparison.Ordinal) == true
                && c["version"]!.GetValue<string>() == version);
        }

        // The provenance names this image, its base by digest, and the packages.
        var provenance = JsonNode.Parse(referrers.Single(r => r.ArtifactType == InToto).Content)!;
        Assert.Equal("https://in-toto.io/Statement/v1", provenance["_type"]!.GetValue<string>());
        Assert.Equal(digest, "sha256:" + provenance["subject"]![0]!["digest"]!["sha256"]!.GetValue<string>());
        var resolved = provenance["predicate"]!["buildDefinition"]!["resolvedDependencies"]!.AsArray();
        Assert.Equal(baseDigest, "sha256:" + resolved[0]!["digest"]!["sha256"]!.GetValue<string>());
        Assert.Contains(resolved, d => d!["uri"]!.GetValue<string>() == "pkg:nuget/Dapper@2.1.66");
        Assert.Equal(repository, provenance["predicate"]!["buildDefinition"]!["externalParameters"]!["ContainerRepository"]!.GetValue<string>());

        // Unchanged re-publish: the same image, the same documents, listed once.
        await project.PublishContainerAsync(properties);
        var again = await ReferrerReader.ReadAsync(registry.Registry, repository, digest);
        Assert.Equal(referrers.Select(r => (r.Digest, Convert.ToHexString(r.Content))).Order(), again.Select(r => (r.Digest, Convert.ToHexString(r.Content))).Order());
    }

    [Fact]
    public async Task AMultiPlatformPublish_GivesEachPlatformImageAValidSpdxSbomProvenanceAndSignature_ThatRepeat()
    {
        await registry.EnsureBaseImagesAsync();
        var project = await MultiArchProject.GetAsync();
        var repository = RegistryFixture.UniqueRepository("multiarch-sbom");
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var keys = new TempDirectory();
        var keyFile = keys.Combine("signing.pem");
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        string[] properties = [$"ContainerRegistry={registry.Registry}", $"ContainerRepository={repository}", "ContainerImageTag=1.0",
            $"ContainerBaseImageRegistry={registry.Registry}", "ContainerSbomFormat=SPDX", $"ContainerSigningKey={keyFile}"];

        await project.PublishContainerAsync(properties);

        var index = JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry.Registry}/{repository}:1.0"))!;
        var found = new Dictionary<string, IReadOnlyList<FoundReferrer>>();
        foreach (var entry in index["manifests"]!.AsArray())
        {
            var digest = entry!["digest"]!.GetValue<string>();
            var rid = entry["platform"]!["architecture"]!.GetValue<string>() == "arm64" ? "linux-arm64" : "linux-x64";
            var referrers = await ReferrerReader.ReadAsync(registry.Registry, repository, digest);
            found[digest] = referrers;
            Assert.Equal([Spdx, SigstoreBundle, InToto], referrers.Select(r => r.ArtifactType).Order(StringComparer.Ordinal));

            var spdxBytes = referrers.Single(r => r.ArtifactType == Spdx).Content;
            Assert.Null(await SbomValidator.ErrorsAsync("spdx", spdxBytes));
            var spdx = JsonNode.Parse(spdxBytes)!;
            output.WriteLine($"{rid}: {spdx["packages"]!.AsArray().Count} SPDX packages");
            // Self-contained per RID: that RID's runtime pack, with its hash, ships in that image.
            var runtime = spdx["packages"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == $"Microsoft.NETCore.App.Runtime.{rid}")!;
            Assert.Equal("SHA512", runtime["checksums"]![0]!["algorithm"]!.GetValue<string>());
            Assert.Contains($"pkg:nuget/Microsoft.NETCore.App.Runtime.{rid}@", runtime["externalRefs"]![0]!["referenceLocator"]!.GetValue<string>());
            var file = Path.Combine(project.Directory, "bin", "Release", "net10.0", $"ConsoleApp.{rid}.spdx.json");
            Assert.Equal(spdxBytes, await File.ReadAllBytesAsync(file));

            var provenance = JsonNode.Parse(referrers.Single(r => r.ArtifactType == InToto).Content)!;
            Assert.Equal(digest, "sha256:" + provenance["subject"]![0]!["digest"]!["sha256"]!.GetValue<string>());
            Assert.Equal(rid, provenance["predicate"]!["buildDefinition"]!["externalParameters"]!["ContainerRuntimeIdentifier"]!.GetValue<string>());
        }
        Assert.Equal(2, found.Count);

        // sigstore's verifier accepts each signature with the public key for its own manifest, and rejects it for the other.
        var digests = found.Keys.ToList();
        for (var i = 0; i < 2; i++)
        {
            var bundle = found[digests[i]].Single(r => r.ArtifactType == SigstoreBundle).Content;
            var own = await ReferrerReader.ManifestBytesAsync(registry.Registry, repository, digests[i]);
            var other = await ReferrerReader.ManifestBytesAsync(registry.Registry, repository, digests[1 - i]);
            Assert.Null(await SbomValidator.BundleErrorsAsync(bundle, own, key.ExportSubjectPublicKeyInfoPem()));
            Assert.Contains("rejected", await SbomValidator.BundleErrorsAsync(bundle, other, key.ExportSubjectPublicKeyInfoPem()));
        }

        await project.PublishContainerAsync(properties);
        Assert.Equal(index.ToJsonString(), JsonNode.Parse(await Skopeo.InspectRawAsync($"{registry.Registry}/{repository}:1.0"))!.ToJsonString());
        foreach (var (digest, referrers) in found)
        {
            var again = await ReferrerReader.ReadAsync(registry.Registry, repository, digest);
            Assert.Equal(referrers.Select(r => Convert.ToHexString(r.Content)).Order(), again.Select(r => Convert.ToHexString(r.Content)).Order());
        }
    }
}
