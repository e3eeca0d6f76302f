using System.CommandLine;
using System.Text.Json.Nodes;
using Containers.Cli.Places;
using Containers.Oci.Stores;

namespace Containers.Cli.Commands;

/// <summary>
/// <c>copy SRC DST [DST...]</c>: an image or index from any place to one or more, through <see cref="ImageCopy"/>
/// (blobs fetched once, each destination checked before anything is read, tags moved last).
/// </summary>
public static class CopyCommand
{
    public static Command Create(CliConsole console)
    {
        var source = new Argument<string>("SRC") { Description = "The image or index to copy: a registry reference, oci-layout:DIR[:name:tag], oci-archive:FILE, docker-archive:FILE, podman:NAME or docker-daemon:NAME." };
        var destinations = new Argument<string[]>("DST") { Description = "Where it goes, in the same syntax; the source's name and tag when a destination names none.", Arity = ArgumentArity.OneOrMore };
        var platform = PlatformOption.Create("Copy only this platform's image of an index.");
        var referrers = new Option<bool>("--referrers") { Description = "Also copy the artifacts (SBOMs, signatures) whose subject is a copied manifest, to the places that keep them." };
        var command = new Command("copy", "Copy an image or index between registries, OCI layouts, archives and docker or podman; to several places at once.")
        {
            source, destinations, platform, referrers,
        }.With(
            "containerize copy staging.example.com/app:1.4 prod.example.com/app:1.4",
            "containerize copy localhost:5000/app:1.0 registry-a:5000/app registry-b:5000/app",
            "containerize copy --platform linux/arm64 mcr.microsoft.com/dotnet/runtime:10.0 oci-layout:./base:runtime:10.0",
            "containerize copy oci-archive:app.tar podman:app:1.0");
        command.SetAction((parse, ct) => CommandRunner.RunAsync(console, parse, "copy", async (session, token) =>
        {
            var from = Place.Source(parse.GetValue(source)!, session.WorkingDirectory);
            var (repository, tags) = Place.DefaultsFrom(from);
            var places = parse.GetValue(destinations)!.Select(d => Place.Destination(d, session.WorkingDirectory, "copy", repository, tags)).ToList();
            var context = session.Stores;
            var fromStore = ImageStores.Open(from, context);
            var written = new List<WriteResult>();
            Oci.Images.ITaggable? content = null;
            // One copy per set of tags: destinations that share their tags share one read of every blob.
            foreach (var group in places.GroupBy(p => string.Join(';', p.Tags)))
            {
                var result = await ImageCopy.CopyContentAsync(fromStore, group.Select(p => p.Open(context)).ToList(), group.First().Tags,
                    PlatformOption.Parse(parse.GetValue(platform), "copy"), token, parse.GetValue(referrers));
                content = result.Content;
                written.AddRange(result.Written);
            }
            var document = Describe.Content(content!);
            document["source"] = from.ToString();
            document["written"] = Describe.Written(written);
            session.Output.Result(document, output => Describe.WrittenLines(output, content!, written));
            return ExitCodes.Success;
        }, ct, transfers: true));
        return command;
    }
}
