using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Containers.Oci.Content;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Layers;

namespace Containers.Oci.Packages;

/// <summary>What the package stage needs besides the base image: the requests, an explicit source, where to cache.</summary>
/// <param name="Sources">ContainerPackageSource, parsed; empty to use the base image's own apt configuration.</param>
/// <param name="Handler">The HTTP handler under the repository client; tests give their own.</param>
public sealed record PackageStageOptions(
    IReadOnlyList<PackageRequest> Requests,
    IReadOnlyList<AptSource> Sources,
    string CacheDirectory,
    ContentCache ContentCache,
    DateTimeOffset Timestamp,
    LayerCompression Compression,
    HttpMessageHandler? Handler = null);

/// <summary>The package layer and what is in it.</summary>
public sealed record PackageStageResult(FileLayer Layer, string Description, PackageLayerRecord Record, bool Reused, IReadOnlyList<string> Details);

/// <summary>
/// The OS packages of one image (ContainerPackage items): resolved against the base image's distribution, verified,
/// unpacked and recorded in one layer that goes between the base and the app. The layer is remembered twice: by its
/// inputs (the base image's digest, the platform, the requests, the sources, the time and the compression), so an
/// unchanged re-publish on the same base reads no index and no .deb and gives the same bytes; and by the resolved set
/// (each package's hash and the base's package database), so a new base image, which resolves again against the
/// indexes of that day, downloads no .deb when the answer is the same. docs/packages.md.
/// </summary>
public static class PackageStage
{
    private const string FormatVersion = "containers-package-layer/1";

    public static async Task<PackageStageResult> BuildAsync(IImage baseImage, string baseName, PackageStageOptions options, IBuildLog log, CancellationToken cancellationToken)
    {
        var platform = baseImage.Platform ?? new Model.Platform("amd64", "linux");
        var architecture = DebianArchitecture.Of(platform);
        var root = Path.Combine(options.CacheDirectory, "packages");
        var blobs = Path.Combine(root, "blobs");
        var recordPath = Path.Combine(root, "layers", Key(baseImage, architecture, options) + ".json");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (PackageLayerRecord.TryRead(recordPath, blobs) is { } cached)
        {
            var layer = cached.Layer(blobs);
            return new PackageStageResult(layer, Describe(cached), cached, true,
                [$"Layer '{Describe(cached)}': reused from {recordPath} (same base image, packages and sources; nothing read or downloaded)."]);
        }

        var baseSystem = await BaseSystem.ReadAsync(baseImage, cancellationToken).ConfigureAwait(false);
        var sources = options.Sources.Count > 0 ? options.Sources : baseSystem.Sources();
        if (sources.Count == 0) throw Errors.ErrorCatalogue.PackageSourceMissing.ToException(baseName);
        var sourcesText = string.Join("; ", sources);
        var baseRead = clock.Elapsed;

        using var http = new RepositoryHttp(options.ContentCache, options.Handler);
        var available = await new PackageRepository(http).ReadIndexesAsync(sources, baseSystem, architecture, cancellationToken).ConfigureAwait(false);
        var installedInBase = baseSystem.Installed().Select(p => AvailablePackage.From(p, null)).OfType<AvailablePackage>().ToList();
        var resolution = new PackageResolver(available, installedInBase, architecture, sourcesText).Resolve(options.Requests);
        var resolved = clock.Elapsed;
        // A new base (another digest) with the same packages and the same database needs no download: the same layer.
        var resolvedPath = Path.Combine(root, "layers", "resolved-" + ResolvedKey(resolution, baseSystem, options) + ".json");
        if (PackageLayerRecord.TryRead(resolvedPath, blobs) is { } same)
        {
            same.Write(recordPath);
            return new PackageStageResult(same.Layer(blobs), Describe(same), same, true,
                [$"Layer '{Describe(same)}': reused from {resolvedPath} (the same packages resolved on a base with the same package database; no package downloaded)."]);
        }

        var staging = Path.Combine(root, $"staging-{Guid.NewGuid():N}");
        try
        {
            // Downloads overlap (the network is the slow part); unpacking follows in name order, one package at a time.
            var debs = new string[resolution.ToInstall.Count];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(0, debs.Length), parallel, async (i, token) =>
            {
                var package = resolution.ToInstall[i];
                debs[i] = await http.GetVerifiedAsync(package.Source!.Resolve(package.Filename!), package.Sha256!, package.Size,
                    detail => Errors.ErrorCatalogue.PackageFileHashMismatch.ToException(package, package.Filename, detail), token).ConfigureAwait(false);
            }).ConfigureAwait(false);
            var downloaded = clock.Elapsed;
            var unpacked = new List<UnpackedPackage>();
            for (var i = 0; i < debs.Length; i++)
            {
                var one = await UnpackedPackage.UnpackAsync(resolution.ToInstall[i], debs[i], Path.Combine(staging, i.ToString(CultureInfo.InvariantCulture)), baseSystem.TopLevelLinks, cancellationToken).ConfigureAwait(false);
                MaintainerScripts.Check(one);
                unpacked.Add(one);
            }
            var unpackedAt = clock.Elapsed;
            var generated = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (path, bytes) in MaintainerScripts.GeneratedFiles(unpacked).Concat(PackageDatabase.Files(baseSystem, unpacked))) generated[path] = bytes;
            var plan = PackageLayerPlan.Build(unpacked, generated, staging);
            var layer = await new LayerWriter(options.Timestamp, options.Compression).WriteAsync(plan, blobs, cancellationToken).ConfigureAwait(false);
            var record = new PackageLayerRecord(layer.Descriptor.Digest, layer.DiffId, layer.Descriptor.Size, layer.Descriptor.MediaType,
                resolution.ToInstall.Select(p => new InstalledPackage(p.Name, p.Version.ToString(), p.Architecture, p.Sha256)).ToList(),
                resolution.AlreadyInBase.Select(p => new InstalledPackage(p.Name, p.Version.ToString(), p.Architecture, null)).ToList());
            record.Write(recordPath);
            record.Write(resolvedPath);
            var details = new List<string>
            {
                $"Packages: sources {sourcesText}; base image files read in {baseRead.TotalMilliseconds:0} ms, {available.Count} packages indexed and resolved after {resolved.TotalMilliseconds:0} ms, {http.Downloads} files downloaded (the others from the content cache), .debs ready after {downloaded.TotalMilliseconds:0} ms, unpacked after {unpackedAt.TotalMilliseconds:0} ms, layer written after {clock.Elapsed.TotalMilliseconds:0} ms.",
                $"Layer '{Describe(record)}': {plan.Entries.Count} entries, {layer.Descriptor.Size} bytes, {layer.Descriptor.Digest}.",
            };
            details.AddRange(record.Installed.Select(p => $"Package installed: {p.Name} {p.Version} ({p.Architecture}), sha256:{p.Sha256}."));
            details.AddRange(record.AlreadyInBase.Select(p => $"Package already in the base image, not installed again: {p.Name} {p.Version}."));
            return new PackageStageResult(layer, Describe(record), record, false, details);
        }
        finally
        {
            try { if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* a later publish's staging has another name */ }
        }
    }

    private static string Describe(PackageLayerRecord record)
        => record.Installed.Count == 0 ? "OS packages: none (the base has them all)" : $"OS packages: {string.Join(", ", record.Installed.Select(p => $"{p.Name} {p.Version}"))}";

    /// <summary>Everything that decides the layer's bytes once resolved: each package's hash, the base's database and root links.</summary>
    internal static string ResolvedKey(PackageResolution resolution, BaseSystem baseSystem, PackageStageOptions options)
    {
        var text = new StringBuilder();
        text.Append(FormatVersion).Append("\nresolved\n");
        foreach (var p in resolution.ToInstall) text.Append("package ").Append(p.Name).Append(' ').Append(p.Version).Append(' ').Append(p.Architecture).Append(' ').Append(p.Sha256).Append('\n');
        foreach (var p in resolution.AlreadyInBase) text.Append("in base ").Append(p.Name).Append(' ').Append(p.Version).Append('\n');
        text.Append("status ").Append(baseSystem.Status ?? string.Join("\n", baseSystem.StatusEntries)).Append('\n');
        foreach (var (link, target) in baseSystem.TopLevelLinks.OrderBy(l => l.Key, StringComparer.Ordinal)) text.Append("link ").Append(link).Append(' ').Append(target).Append('\n');
        text.Append("time ").Append(options.Timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("compression ").Append(options.Compression).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Everything that decides the layer's bytes without reading the network.</summary>
    internal static string Key(IImage baseImage, string architecture, PackageStageOptions options)
    {
        var text = new StringBuilder();
        text.Append(FormatVersion).Append('\n');
        text.Append("base ").Append(baseImage.Digest).Append('\n');
        text.Append("arch ").Append(architecture).Append('\n');
        foreach (var request in options.Requests.OrderBy(r => r.Name, StringComparer.Ordinal)) text.Append("package ").Append(request).Append('\n');
        foreach (var source in options.Sources) text.Append("source ").Append(source).Append(' ').Append(source.Keyring).Append('\n');
        text.Append("time ").Append(options.Timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("compression ").Append(options.Compression).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
