using System.CommandLine;
using System.Text.Json.Nodes;
using Containers.Cli.Places;
using Containers.Oci.Content;
using Containers.Oci.Images;
using Containers.Oci.Stores;

namespace Containers.Cli.Commands;

/// <summary><c>inspect REF</c>: the manifest or index in brief (platforms, layers with sizes, config, labels), or its exact bytes.</summary>
public static class InspectCommand
{
    public static Command Create(CliConsole console)
    {
        var reference = new Argument<string>("REF") { Description = "The image or index: a registry reference, oci-layout:DIR[:name:tag], an archive, podman:NAME or docker-daemon:NAME." };
        var raw = new Option<bool>("--raw") { Description = "Print the manifest or index exactly as stored (its digest is over these bytes), nothing else." };
        var config = new Option<bool>("--config") { Description = "Print the image's config exactly as stored (with --platform for an index)." };
        var platform = PlatformOption.Create("For an index, inspect this platform's image instead.");
        var command = new Command("inspect", "Show an image or index: digest, platforms, layers with sizes, the config's command, environment and labels.")
        {
            reference, raw, config, platform,
        }.With(
            "containerize inspect localhost:5000/app:1.0",
            "containerize inspect --raw mcr.microsoft.com/dotnet/runtime:10.0 | sha256sum",
            "containerize inspect --json --platform linux/arm64 oci-layout:./out:app:1.0");
        command.SetAction((parse, ct) => CommandRunner.RunAsync(console, parse, "inspect", async (session, token) =>
        {
            var store = ImageStores.Open(Place.Source(parse.GetValue(reference)!, session.WorkingDirectory), session.Stores);
            ITaggable content = PlatformOption.Parse(parse.GetValue(platform), "inspect") is { } wanted
                ? await store.ReadImageAsync(wanted, null, token)
                : await store.ReadAsync(token);
            if (parse.GetValue(raw))
            {
                session.Output.Raw(content.RawManifest);
                return ExitCodes.Success;
            }
            if (parse.GetValue(config))
            {
                var image = content as IImage ?? HostPlatform.Pick((IImageIndex)content);
                session.Output.Raw(image.RawConfig);
                return ExitCodes.Success;
            }
            var document = content is IImageIndex index ? IndexDocument(index) : ImageDocument((IImage)content);
            document["reference"] = store.Name;
            session.Output.Result(document, output => WriteHuman(output, store.Name, content));
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static JsonObject IndexDocument(IImageIndex index)
    {
        var document = Describe.Content(index);
        document["manifests"] = new JsonArray(index.Index.Manifests.Select(m => (JsonNode)new JsonObject
        {
            ["platform"] = m.Platform?.ToString(),
            ["digest"] = m.Digest,
            ["mediaType"] = m.MediaType,
            ["size"] = m.Size,
        }).ToArray());
        return document;
    }

    private static JsonObject ImageDocument(IImage image)
    {
        var document = Describe.Content(image);
        var inner = image.Config["config"] as JsonObject;
        document["platform"] = image.Platform?.ToString();
        document["created"] = image.Config["created"]?.DeepClone();
        document["config"] = new JsonObject
        {
            ["digest"] = image.Manifest.Config.Digest,
            ["size"] = image.Manifest.Config.Size,
            ["entrypoint"] = inner?["Entrypoint"]?.DeepClone(),
            ["cmd"] = inner?["Cmd"]?.DeepClone(),
            ["workingDir"] = inner?["WorkingDir"]?.DeepClone(),
            ["user"] = inner?["User"]?.DeepClone(),
            ["env"] = inner?["Env"]?.DeepClone(),
            ["exposedPorts"] = inner?["ExposedPorts"] is JsonObject ports ? new JsonArray(ports.Select(p => (JsonNode)JsonValue.Create(p.Key)).ToArray()) : null,
            ["labels"] = inner?["Labels"]?.DeepClone(),
        };
        document["layers"] = new JsonArray(image.Manifest.Layers.Select(l => (JsonNode)new JsonObject
        {
            ["digest"] = l.Digest,
            ["size"] = l.Size,
            ["mediaType"] = l.MediaType,
        }).ToArray());
        document["layersSize"] = image.Manifest.Layers.Sum(l => l.Size);
        return document;
    }

    private static void WriteHuman(TextWriter output, string name, ITaggable content)
    {
        output.WriteLine($"{name}");
        output.WriteLine($"  digest      {content.Digest}");
        output.WriteLine($"  media type  {content.MediaType}");
        if (content is IImageIndex index)
        {
            output.WriteLine($"  platforms   {index.Index.Manifests.Count}");
            foreach (var m in index.Index.Manifests) output.WriteLine($"    {m.Platform?.ToString() ?? "(none)",-18} {m.Digest}  {ByteSize.Format(m.Size)}");
            return;
        }
        var image = (IImage)content;
        var inner = image.Config["config"] as JsonObject;
        output.WriteLine($"  platform    {image.Platform?.ToString() ?? "(none)"}");
        output.WriteLine($"  created     {image.Config["created"]}");
        output.WriteLine($"  config      {image.Manifest.Config.Digest}");
        Line(output, "entrypoint", inner?["Entrypoint"]);
        Line(output, "cmd", inner?["Cmd"]);
        Line(output, "workdir", inner?["WorkingDir"]);
        Line(output, "user", inner?["User"]);
        if (inner?["ExposedPorts"] is JsonObject ports) output.WriteLine($"  ports       {string.Join(", ", ports.Select(p => p.Key))}");
        if (inner?["Env"] is JsonArray env) foreach (var e in env) output.WriteLine($"  env         {e}");
        if (inner?["Labels"] is JsonObject labels) foreach (var (key, value) in labels) output.WriteLine($"  label       {key}={value}");
        output.WriteLine($"  layers      {image.Manifest.Layers.Count}, {ByteSize.Format(image.Manifest.Layers.Sum(l => l.Size))}");
        foreach (var l in image.Manifest.Layers) output.WriteLine($"    {l.Digest}  {ByteSize.Format(l.Size),10}  {l.MediaType}");
    }

    private static void Line(TextWriter output, string label, JsonNode? value)
    {
        if (value is not null) output.WriteLine($"  {label,-11} {value.ToJsonString()}");
    }
}
