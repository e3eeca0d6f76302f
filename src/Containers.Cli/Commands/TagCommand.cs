using System.CommandLine;
using Containers.Cli.Places;
using Containers.Oci.Names;
using Containers.Oci.Publishing;
using Containers.Oci.Stores;

namespace Containers.Cli.Commands;

/// <summary>
/// <c>tag REF TAG...</c>: more tags for an image already in a registry. A copy within the repository, so nothing is
/// uploaded (every blob is there) and each tag is put only once the manifest is complete, as any write.
/// </summary>
public static class TagCommand
{
    public static Command Create(CliConsole console)
    {
        var reference = new Argument<string>("REF") { Description = "The image or index in a registry, by tag or digest." };
        var tags = new Argument<string[]>("TAG") { Description = "The new tags, in the same repository.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("tag", "Add tags to an image or index in a registry, without uploading anything.")
        {
            reference, tags,
        }.With(
            "containerize tag localhost:5000/app:1.4.2 1.4 1 latest",
            "containerize tag localhost:5000/app@sha256:4f1c... stable");
        command.SetAction((parse, ct) => CommandRunner.RunAsync(console, parse, "tag", async (session, token) =>
        {
            var source = Place.Registry(parse.GetValue(reference)!, session.WorkingDirectory, "tag");
            var newTags = InputParsers.ParseTags(null, string.Join(';', parse.GetValue(tags)!));
            var context = session.Stores;
            var repository = new ImageReference(source.Registry, source.Repository);
            var result = await ImageCopy.CopyContentAsync(ImageStores.Open(new RegistryLocation(source), context),
                [ImageStores.Open(new RegistryLocation(repository), context)], newTags, null, token);
            var document = Describe.Content(result.Content);
            document["source"] = source.ToString();
            document["written"] = Describe.Written(result.Written);
            session.Output.Result(document, output => Describe.WrittenLines(output, result.Content, result.Written));
            return ExitCodes.Success;
        }, ct, transfers: true));
        return command;
    }
}
