using System.CommandLine;
using System.Text.Json.Nodes;
using Containers.Cli.Places;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Names;
using Containers.Oci.Stores;

namespace Containers.Cli.Commands;

/// <summary>
/// <c>rebase REF --base NEWBASE --to DEST</c>: the image's base layers swapped for a new base's (a patched one), its
/// own layers and config kept (<see cref="ImageMutation.Rebase"/>). The old base is the one the image records in its
/// base name and digest labels, or --old-base; an image that records none is refused (CONTAINER5706), as is a new
/// base without the image's platform (CONTAINER1011) or an image not built on the old base (CONTAINER5213).
/// </summary>
public static class RebaseCommand
{
    public const string BaseNameLabel = "org.opencontainers.image.base.name";
    public const string BaseDigestLabel = "org.opencontainers.image.base.digest";

    public static Command Create(CliConsole console)
    {
        var reference = new Argument<string>("REF") { Description = "The image to move onto the new base (for an index, one platform's image: --platform, default this machine's)." };
        var newBase = new Option<string>("--base") { Description = "The new base image, e.g. a patched build of the old one.", Required = true, HelpName = "REF" };
        var to = new Option<string>("--to") { Description = "Where the rebased image goes, in copy's syntax. Default tag: the source's.", Required = true, HelpName = "DEST" };
        var oldBase = new Option<string?>("--old-base") { Description = "The base the image was built on, when its labels do not say (or to override them).", HelpName = "REF" };
        var platform = PlatformOption.Create("For an index, rebase this platform's image.");
        var command = new Command("rebase", "Replace the base layers of an image with those of a new base, keeping the app's layers and config.")
        {
            reference, newBase, to, oldBase, platform,
        }.With(
            "containerize rebase localhost:5000/app:1.0 --base localhost:5000/dotnet/runtime:10.0.13 --to localhost:5000/app:1.0-patched",
            "containerize rebase registry.example.com/app:2.1 --old-base mcr.microsoft.com/dotnet/aspnet:10.0@sha256:... --base mcr.microsoft.com/dotnet/aspnet:10.0 --to registry.example.com/app:2.1");
        command.SetAction((parse, ct) => CommandRunner.RunAsync(console, parse, "rebase", async (session, token) =>
        {
            var context = session.Stores;
            var sourceLocation = Place.Source(parse.GetValue(reference)!, session.WorkingDirectory);
            var (repository, tags) = Place.DefaultsFrom(sourceLocation);
            var destination = Place.Destination(parse.GetValue(to)!, session.WorkingDirectory, "rebase", repository, tags);
            await destination.Open(context).CheckWritableAsync(token);

            var sourceStore = ImageStores.Open(sourceLocation, context);
            var wanted = PlatformOption.Parse(parse.GetValue(platform), "rebase");
            var image = await ReadImageAsync(sourceStore, wanted, token);
            var imagePlatform = image.Platform ?? wanted ?? HostPlatform.Current;
            var oldLocation = OldBase(image, parse.GetValue(oldBase), session.WorkingDirectory);
            var newBaseText = parse.GetValue(newBase)!.Trim();
            var oldBaseImage = await ImageStores.Open(oldLocation, context).ReadImageAsync(imagePlatform, null, token);
            var newBaseImage = await ImageStores.Open(Place.Source(newBaseText, session.WorkingDirectory), context).ReadImageAsync(imagePlatform, null, token);

            var rebased = ImageMutation.Rebase(image, oldBaseImage, newBaseImage);
            rebased = RecordBase(rebased, newBaseText, newBaseImage);
            var written = await destination.Open(context).WriteAsync(rebased, destination.Tags, token);

            var kept = image.Layers.Count - oldBaseImage.Layers.Count;
            var document = Describe.Content(rebased);
            document["source"] = image.Digest.ToString();
            document["oldBase"] = new JsonObject { ["reference"] = oldLocation.ToString(), ["digest"] = oldBaseImage.Digest.ToString() };
            document["newBase"] = new JsonObject { ["reference"] = newBaseText, ["digest"] = newBaseImage.Digest.ToString() };
            document["keptLayers"] = new JsonArray(rebased.Layers.Skip(newBaseImage.Layers.Count).Select(l => (JsonNode)JsonValue.Create(l.Descriptor.Digest)).ToArray());
            document["written"] = Describe.Written([written]);
            session.Output.Result(document, output =>
            {
                output.WriteLine($"Rebased {image.Digest} from {oldBaseImage.Digest} onto {newBaseImage.Digest}, keeping {kept} layer{(kept == 1 ? "" : "s")}.");
                Describe.WrittenLines(output, rebased, [written]);
            });
            return ExitCodes.Success;
        }, ct, transfers: true));
        return command;
    }

    private static async Task<IImage> ReadImageAsync(IImageStore store, Oci.Model.Platform? platform, CancellationToken token)
    {
        if (platform is not null) return await store.ReadImageAsync(platform, null, token);
        return await store.ReadAsync(token) switch
        {
            IImage image => image,
            IImageIndex index => HostPlatform.Pick(index),
            var other => throw new InvalidOperationException($"A store gave a {other.GetType().Name}."),
        };
    }

    /// <summary>--old-base, else the base name label, pinned to the base digest label when it is a registry reference.</summary>
    private static ImageLocation OldBase(IImage image, string? given, string workingDirectory)
    {
        if (!string.IsNullOrWhiteSpace(given)) return Place.Source(given, workingDirectory);
        var labels = image.Config["config"]?["Labels"] as JsonObject;
        var name = Text(labels?[BaseNameLabel]);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw ErrorCatalogue.RebaseBaseUnknown.ToException(image.Digest, $"it has no {BaseNameLabel} label");
        }
        ImageLocation location;
        try
        {
            location = Place.Source(name, workingDirectory);
        }
        catch (ContainerException e)
        {
            throw ErrorCatalogue.RebaseBaseUnknown.ToException(e, image.Digest, $"its {BaseNameLabel} label '{name}' is not a reference ({e.Message.TrimEnd('.')})");
        }
        var digest = Text(labels?[BaseDigestLabel]);
        return location is RegistryLocation r && digest is not null && Oci.Model.Digest.TryParse(digest, out _)
            ? new RegistryLocation(new ImageReference(r.Reference.Registry, r.Reference.Repository, null, digest))
            : location;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    /// <summary>The base labels name the new base, so the rebased image can be rebased again.</summary>
    private static IImage RecordBase(IImage image, string newBase, IImage newBaseImage)
    {
        if (image.Config["config"]?["Labels"] is not JsonObject labels || (labels[BaseNameLabel] is null && labels[BaseDigestLabel] is null)) return image;
        return ImageMutation.WithConfig(image, config =>
        {
            var own = (JsonObject)config["config"]!["Labels"]!;
            if (own[BaseNameLabel] is not null) own[BaseNameLabel] = newBase;
            if (own[BaseDigestLabel] is not null) own[BaseDigestLabel] = newBaseImage.Digest.ToString();
        });
    }
}
