using System.CommandLine;
using System.Text.Json.Nodes;
using Containers.Cli.Places;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Stores;

namespace Containers.Cli.Commands;

/// <summary>
/// <c>validate REF</c>: every digest, size, diff id and media type of an image or index against its bytes
/// (<see cref="ImageValidation"/>). Exit 1 with CONTAINER5702 when anything is wrong: a pipeline step can gate on it.
/// </summary>
public static class ValidateCommand
{
    public static Command Create(CliConsole console)
    {
        var reference = new Argument<string>("REF") { Description = "The image or index to check, in any place." };
        var command = new Command("validate", "Check an image or index for internal consistency (digests, sizes, diff ids, media types); reads every blob. Exits 1 when anything is wrong.")
        {
            reference,
        }.With(
            "containerize validate localhost:5000/app:1.0",
            "containerize validate oci-layout:./out:app:1.0 || echo 'do not ship'");
        command.SetAction((parse, ct) => CommandRunner.RunAsync(console, parse, "validate", async (session, token) =>
        {
            var store = ImageStores.Open(Place.Source(parse.GetValue(reference)!, session.WorkingDirectory), session.Stores);
            var content = await store.ReadAsync(token);
            var problems = await ImageValidation.CheckAsync(content, token);
            var document = Describe.Content(content);
            document["reference"] = store.Name;
            document["valid"] = problems.Count == 0;
            document["problems"] = new JsonArray(problems.Select(p => (JsonNode)JsonValue.Create(p)).ToArray());
            if (problems.Count > 0)
            {
                return session.Output.Failure(document,
                    ErrorCatalogue.ImageInconsistent.ToException(content.Digest, problems.Count, problems.Count == 1 ? "" : "s", string.Join("; ", problems)));
            }
            session.Output.Result(document, output => output.WriteLine($"{store.Name} ({content.Digest}) is valid."));
            return ExitCodes.Success;
        }, ct));
        return command;
    }
}
