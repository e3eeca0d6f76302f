using System.CommandLine;
using Containers.Cli.Places;
using Containers.Oci.Stores;

namespace Containers.Cli.Commands;

/// <summary><c>digest REF</c>: the digest of an image's manifest or an index, the one line a script pins a deployment to.</summary>
public static class DigestCommand
{
    public static Command Create(CliConsole console)
    {
        var reference = new Argument<string>("REF") { Description = "The image or index, in any place." };
        var platform = PlatformOption.Create("For an index, the digest of this platform's image instead.");
        var command = new Command("digest", "Print the digest of an image or index.")
        {
            reference, platform,
        }.With(
            "containerize digest localhost:5000/app:1.0",
            "kubectl set image deploy/app app=\"localhost:5000/app@$(containerize digest localhost:5000/app:1.0)\"");
        command.SetAction((parse, ct) => CommandRunner.RunAsync(console, parse, "digest", async (session, token) =>
        {
            var store = ImageStores.Open(Place.Source(parse.GetValue(reference)!, session.WorkingDirectory), session.Stores);
            Oci.Images.ITaggable content = PlatformOption.Parse(parse.GetValue(platform), "digest") is { } wanted
                ? await store.ReadImageAsync(wanted, null, token)
                : await store.ReadAsync(token);
            var document = Describe.Content(content);
            document["reference"] = store.Name;
            session.Output.Result(document, output => output.WriteLine(content.Digest));
            return ExitCodes.Success;
        }, ct));
        return command;
    }
}
