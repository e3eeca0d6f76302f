using System.Text.RegularExpressions;
using Containers.IntegrationTests.Destinations;
using Containers.IntegrationTests.Faults;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Images;
using Containers.Oci.Names;
using Containers.Oci.Publishing;
using Containers.Oci.Registry;
using Containers.Oci.Stores;

namespace Containers.IntegrationTests.Registry;

/// <summary>
/// Issue 13, a cold publish: the app layer (a few MiB) goes to the real registry while it is compressed, in parts
/// (seen through <see cref="FaultProxy"/>), and the push finds it there. The log, the summary and the registry's requests
/// agree; the image is the one a publish without the upload ahead gives, and it runs. When the registry refuses the
/// parts or the link drops, the publish uploads the layer as it always did.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed partial class UploadAheadTests(RegistryFixture registry, LocalImagesFixture local, ITestOutputHelper output) : IClassFixture<LocalImagesFixture>, IDisposable
{
    private const string Greeting = "Hello from ConsoleApp in a container: user=app";
    private const int BigFileSize = 4 << 20;
    private readonly TempDirectory _temp = new("containers-it-upload-ahead-");
    private readonly CapturingLog _log = new(output);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_cold_publish_uploads_the_big_layer_while_writing_it_and_the_image_is_the_one_a_plain_push_gives_and_runs()
    {
        await registry.EnsureBaseImagesAsync();
        await using var proxy = new FaultProxy(registry.Port, (_, _) => Fault.None);   // only to watch the requests
        var app = await AppWithBigFileAsync();
        var ahead = new ImageReference(proxy.Registry, RegistryFixture.UniqueRepository("upload-ahead"));
        var plain = new ImageReference(proxy.Registry, RegistryFixture.UniqueRepository("upload-ahead-off"));

        var (first, firstLog, firstRequests) = await PublishAsync(proxy, app, ahead, uploadAhead: true);
        var (second, secondLog, secondRequests) = await PublishAsync(proxy, app, plain, uploadAhead: false);

        // The big layer, once, as uploaded while written; the summary counts it once, as the plain push does.
        var whileWritten = Assert.Single(firstLog, l => l.Contains(": uploaded while written (", StringComparison.Ordinal));
        var bigLayer = BigLayer(first, firstLog);
        Assert.Contains(bigLayer.Digest[..19], whileWritten, StringComparison.Ordinal);
        Assert.Contains(firstLog, l => l.StartsWith($"Upload ahead of layer {bigLayer.Digest[..19]}", StringComparison.Ordinal) && l.Contains("parts while written", StringComparison.Ordinal));
        Assert.DoesNotContain(firstLog, l => l.Contains("abandoned", StringComparison.Ordinal));
        Assert.Equal(PushCounts().Match(second.Summary).Value, PushCounts().Match(first.Summary).Value);
        Assert.Matches(@"[1-9]\d* blobs? uploaded", PushCounts().Match(first.Summary).Value);

        // On the wire: the layer's bytes went in parts (PATCH), each blob's closing PUT once, and the log's uploads are those PUTs.
        Assert.Equal(bigLayer.Size, firstRequests.Where(r => r.Method == "PATCH").Sum(r => r.ContentLength));
        // How much goes before the layer is complete depends on the machine's speed (the unit tests pin that down).
        Assert.Equal(Uploaded().Matches(string.Join('\n', firstLog)).Select(m => m.Groups["digest"].Value).Order(StringComparer.Ordinal), ClosingPuts(firstRequests));
        Assert.Equal(Uploaded().Matches(string.Join('\n', secondLog)).Select(m => m.Groups["digest"].Value).Order(StringComparer.Ordinal), ClosingPuts(secondRequests));
        Assert.Equal(ClosingPuts(secondRequests), ClosingPuts(firstRequests));
        Assert.DoesNotContain(secondRequests, r => r.Method == "PATCH");
        Assert.DoesNotContain(secondLog, l => l.Contains("while written", StringComparison.Ordinal));

        // The same image either way, complete in the registry (every blob served with its digest), and it runs.
        Assert.Equal(second.Image.Digest, first.Image.Digest);
        var direct = new ImageReference(registry.Registry, ahead.Repository, "1.0");
        Assert.Equal(first.Image.Digest, (await PublishOutcome.AssertCompleteAsync(direct, _temp.Combine("read-back"))).Digest);
        Assert.Equal(first.Image.Digest, (await PublishOutcome.AssertCompleteAsync(new ImageReference(registry.Registry, plain.Repository, "1.0"), _temp.Combine("read-back"))).Digest);
        await Podman.PullAsync(direct.ToString());
        try
        {
            Assert.Contains(Greeting, await Podman.RunAsync(direct.ToString()));
        }
        finally
        {
            await Podman.RemoveImageAsync(direct.ToString());
        }
    }

    public static TheoryData<string> Faults => ["refused", "cut"];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task An_upload_ahead_the_registry_refuses_or_that_loses_its_link_is_abandoned_and_the_push_uploads_the_layer(string fault)
    {
        await registry.EnsureBaseImagesAsync();
        await using var proxy = new FaultProxy(registry.Port, (head, _) => head.Method != "PATCH" ? Fault.None
            : fault == "refused" ? new Fault.Status(405, "Method Not Allowed") : new Fault.CutRequest(0.5));
        var app = await AppWithBigFileAsync();
        var target = new ImageReference(proxy.Registry, RegistryFixture.UniqueRepository("upload-ahead-" + fault));

        var (result, log, requests) = await PublishAsync(proxy, app, target, uploadAhead: true);

        var bigLayer = BigLayer(result, log);
        Assert.Contains(log, l => l.StartsWith("Upload ahead of ", StringComparison.Ordinal) && l.Contains("abandoned", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith($"layer {bigLayer.Digest[..19]}: uploaded from ", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Contains("while written", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Method == "DELETE" && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal));   // the session was given up
        Assert.Equal(Uploaded().Matches(string.Join('\n', log)).Select(m => m.Groups["digest"].Value).Order(StringComparer.Ordinal), ClosingPuts(requests));
        var image = await PublishOutcome.AssertCompleteAsync(new ImageReference(registry.Registry, target.Repository, "1.0"), _temp.Combine("read-back"));
        Assert.Equal(result.Image.Digest, image.Digest);
    }

    /// <summary>The shared ConsoleApp's publish folder with a 4 MiB file that does not compress, so its app layer is big enough to upload ahead.</summary>
    private async Task<string> AppWithBigFileAsync()
    {
        var folder = _temp.Combine("publish");
        if (Directory.Exists(folder)) return folder;
        foreach (var file in Directory.GetFiles(local.Project.PublishDirectory(), "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(folder, Path.GetRelativePath(local.Project.PublishDirectory(), file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        var bytes = new byte[BigFileSize];
        new Random(13).NextBytes(bytes);
        await File.WriteAllBytesAsync(Path.Combine(folder, "assets.bin"), bytes);
        return folder;
    }

    /// <summary>A cold publish: its own empty layer cache and content cache; the base read through the proxy too, so its layers are mounted.</summary>
    private async Task<(ContainerPublishResult Result, IReadOnlyList<string> Log, IReadOnlyList<ProxiedRequest> Requests)> PublishAsync(
        FaultProxy proxy, string app, ImageReference target, bool uploadAhead)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var (lines, requests) = (_log.Lines.Count, proxy.Requests.Count);
        using var publisher = new ContainerPublisher(_log, new RegistryClientOptions
        {
            Environment = new CredentialStores(_temp.Combine("credentials")).Empty(),
            UploadAhead = uploadAhead,
            MaxRetries = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(2),
            RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        });
        var baseImage = registry.BaseImage("runtime");
        var result = await publisher.PublishAsync(new ContainerPublishRequest
        {
            BaseImage = new ImageReference(proxy.Registry, baseImage.Repository, baseImage.Tag),
            Platform = PublishOutcome.LinuxAmd64,
            RuntimeIdentifier = "linux-x64",
            PublishDirectory = app,
            AppDirectory = "/app/",
            DepsFile = Path.Combine(app, "ConsoleApp.deps.json"),
            Settings = new ImageSettings { Entrypoint = ["dotnet", "/app/ConsoleApp.dll"], WorkingDirectory = "/app/" },
            Destination = ImageDestination.Registry(target),
            Tags = ["1.0"],
            WorkDirectory = _temp.Combine("obj-" + run),
            CacheDirectory = _temp.Combine("cache-" + run),
        }, CancellationToken.None);
        return (result, _log.Lines.Skip(lines).ToList(), proxy.Requests.Skip(requests).ToList());
    }

    /// <summary>The layer this publish wrote with the big file in it (the base's layers may be as big, but are not written).</summary>
    private static Oci.Model.Descriptor BigLayer(ContainerPublishResult result, IReadOnlyList<string> log)
    {
        var written = WrittenLayer().Matches(string.Join('\n', log)).Select(m => m.Groups["digest"].Value).ToHashSet(StringComparer.Ordinal);
        return Assert.Single(result.Image.Manifest.Layers, l => written.Contains(l.Digest) && l.Size > BigFileSize);
    }

    [GeneratedRegex(@"Layer '[^']*': \d+ entries, \d+ bytes, (?<digest>sha256:[0-9a-f]{64}) \(written\)")]
    private static partial Regex WrittenLayer();

    /// <summary>The digests of the blob uploads the registry was asked to close (<c>PUT …/blobs/uploads/…?digest=</c>), short form, sorted.</summary>
    private static List<string> ClosingPuts(IEnumerable<ProxiedRequest> requests)
        => requests.Where(r => r.Method == "PUT" && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal))
            .Select(r => Regex.Match(Uri.UnescapeDataString(r.Query), "digest=(sha256:[0-9a-f]{64})").Groups[1].Value[..19])
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>The push's line for each blob it sent, e.g. <c>layer sha256:0123456789ab: uploaded while written (4.0 MB)</c>.</summary>
    [GeneratedRegex(@"(?:layer|config) (?<digest>sha256:[0-9a-f]{12}): uploaded")]
    private static partial Regex Uploaded();

    /// <summary>The push's counts in the summary: "3 blobs uploaded (4.2 MB), 0 already present, 2 mounted".</summary>
    [GeneratedRegex(@"\d+ blobs? uploaded \([^)]*\), \d+ already present, \d+ mounted")]
    private static partial Regex PushCounts();
}
