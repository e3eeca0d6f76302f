using System.Reflection;
using System.Text.Json.Nodes;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;

namespace Containers.Oci.SupplyChain;

/// <summary>One platform image and what is known of how it was made: the inputs of <see cref="SupplyChainStage.MakeAsync"/>.</summary>
public sealed record SupplyChainSubject
{
    public required IImage Image { get; init; }
    public required IImage BaseImage { get; init; }
    public required string BaseReference { get; init; }

    /// <summary>Where the image goes, <c>registry/repository</c>.</summary>
    public required string ImageName { get; init; }
    public required string Platform { get; init; }
    public required DateTimeOffset Created { get; init; }
    public string? DepsFile { get; init; }
    public required string AppName { get; init; }

    public required IReadOnlyDictionary<string, JsonNode?> Parameters { get; init; }

    /// <summary>The OS packages the publish installed (ContainerPackage items and what they need).</summary>
    public IReadOnlyList<Packages.InstalledPackage> AddedOsPackages { get; init; } = [];
}

/// <summary>The documents made for one image: artifacts to attach as its referrers, and the SBOM's bytes for the file.</summary>
public sealed record SupplyChainDocuments(IReadOnlyList<IImage> Artifacts, byte[]? Sbom)
{
    /// <summary>Where the SBOM file goes; null: none.</summary>
    public string? SbomPath { get; init; }

    public static readonly SupplyChainDocuments None = new([], null);
}

/// <summary>
/// Makes the SBOM and the provenance of one platform image (pure but for reading the inputs and the base's layers),
/// each as an OCI 1.1 artifact whose subject is the image. Made before anything is written, so a failure here
/// leaves every destination as it was.
/// </summary>
public static class SupplyChainStage
{
    public const string PredicateTypeAnnotation = "in-toto.io/predicate-type";

    public static (string Name, string Version) Tool { get; } = ("Containers.Build", ToolVersion());

    /// <summary>The folder of the content cache (<paramref name="cacheDirectory"/>) where base layers' facts are remembered, by digest, for every project.</summary>
    public const string MemoFolder = "sbom-layer-facts";

    /// <summary>The base image's facts when an SBOM is wanted (its layers are read, or their memo), else null; run beside the layer stage.</summary>
    /// <param name="cacheDirectory">The content cache's folder: a base's layers are read once per machine, whichever project uses them.</param>
    /// <param name="known">Where the facts may be found without the layers (<see cref="SbomReferrers"/>), tried before they are downloaded.</param>
    /// <param name="keepLayers">False when nothing else in the publish reads the base's layers: the scan streams them instead of caching them.</param>
    public static async Task<BaseImageFacts?> ScanBaseAsync(SupplyChainOptions options, IImage baseImage, string reference, string? cacheDirectory, IBuildLog log, CancellationToken cancellationToken,
        Func<CancellationToken, Task<BaseOsFacts?>>? known = null, bool keepLayers = true)
    {
        if (options.Sbom is null) return null;
        var memo = cacheDirectory is null ? null : Path.Combine(cacheDirectory, MemoFolder);
        return await new BaseImageScanner(memo, log, keepLayers).ScanAsync(baseImage, reference, cancellationToken, known).ConfigureAwait(false);
    }

    /// <param name="baseFacts">From <see cref="ScanBaseAsync"/>; read here when null and an SBOM is wanted.</param>
    public static async Task<SupplyChainDocuments> MakeAsync(SupplyChainOptions options, SupplyChainSubject subject, BaseImageFacts? baseFacts, IBuildLog log, CancellationToken cancellationToken)
    {
        if (!options.Any) return SupplyChainDocuments.None;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var components = options.Sbom is not null || options.Provenance ? AppGraphReader.Read(subject.DepsFile, options.AssetsFile, subject.AppName, "1.0.0") : [];
        var artifacts = new List<IImage>();
        var annotations = new Dictionary<string, string> { ["org.opencontainers.image.created"] = DocumentJson.Time(subject.Created) };
        byte[]? sbom = null;
        if (options.Sbom is { } format)
        {
            baseFacts ??= await ScanBaseAsync(options, subject.BaseImage, subject.BaseReference, null, log, cancellationToken).ConfigureAwait(false);
            var facts = new SbomFacts
            {
                ImageDigest = subject.Image.Digest.ToString(),
                ImageName = subject.ImageName,
                Platform = subject.Platform,
                Created = subject.Created,
                Components = components,
                BaseImage = baseFacts!,
                AddedOsPackages = subject.AddedOsPackages,
                Tool = Tool,
            };
            var mediaType = format == SbomFormat.Spdx ? SpdxWriter.MediaType : CycloneDxWriter.MediaType;
            sbom = format == SbomFormat.Spdx ? SpdxWriter.Write(facts) : CycloneDxWriter.Write(facts);
            artifacts.Add(ArtifactBuilder.Build(subject.Image, mediaType, [(mediaType, sbom)], annotations));
            log.Detail($"SBOM ({mediaType}) of {subject.Image.Digest}: {components.Count} components of the app, {baseFacts!.OsPackages.Count} OS packages of the base.");
        }
        if (options.Provenance)
        {
            var statement = ProvenanceWriter.Write(new ProvenanceFacts
            {
                ImageName = subject.ImageName,
                ImageDigest = subject.Image.Digest.ToString(),
                ExternalParameters = subject.Parameters,
                BaseImageReference = subject.BaseReference,
                BaseImageDigest = subject.BaseImage.Digest.ToString(),
                Source = GitSource.TryRead(options.ProjectDirectory),
                Packages = components,
                Tool = Tool,
                SdkVersion = options.SdkVersion,
                Run = options.Run,
            });
            var provenanceAnnotations = new Dictionary<string, string>(annotations) { [PredicateTypeAnnotation] = ProvenanceWriter.PredicateType };
            artifacts.Add(ArtifactBuilder.Build(subject.Image, ProvenanceWriter.MediaType, [(ProvenanceWriter.MediaType, statement)], provenanceAnnotations));
        }
        if (options.SigningKey is { } keyFile)
        {
            using var signer = ManifestSigner.Load(keyFile);
            var signatureAnnotations = new Dictionary<string, string>(annotations) { [ManifestSigner.KeyHintAnnotation] = signer.KeyHint };
            artifacts.Add(ArtifactBuilder.Build(subject.Image, ManifestSigner.BundleMediaType, [(ManifestSigner.BundleMediaType, signer.Sign(subject.Image))], signatureAnnotations));
        }
        log.Detail($"Time: {artifacts.Count} supply-chain documents made in {clock.Elapsed.TotalMilliseconds:0} ms (after the base's scan).");
        return new SupplyChainDocuments(artifacts, sbom);
    }

    /// <summary>
    /// True when <paramref name="listed"/> (the subject's referrers) already has <paramref name="artifact"/>: the same
    /// digest, or for a signature one made with the same key (ECDSA signatures differ each time; one per key is enough).
    /// </summary>
    public static bool IsAttached(IImage artifact, IReadOnlyList<Model.Descriptor> listed)
    {
        if (listed.Any(d => d.Digest == artifact.Digest.ToString())) return true;
        if (artifact.Manifest.ArtifactType != ManifestSigner.BundleMediaType || artifact.Manifest.Annotations?.GetValueOrDefault(ManifestSigner.KeyHintAnnotation) is not { } hint) return false;
        return listed.Any(d => d.ArtifactType == ManifestSigner.BundleMediaType && d.Annotations?.GetValueOrDefault(ManifestSigner.KeyHintAnnotation) == hint);
    }

    private static string ToolVersion()
    {
        var version = typeof(SupplyChainStage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+');
        return plus < 0 ? version : version[..plus];
    }
}
