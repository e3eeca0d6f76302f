using System.CommandLine;
using System.Text.Json.Nodes;
using Containers.Cli.Places;

namespace Containers.Cli.Commands;

/// <summary><c>ls REPOSITORY</c>: a registry repository's tags, sorted, one a line.</summary>
public static class ListTagsCommand
{
    public static Command Create(CliConsole console)
    {
        var repository = new Argument<string>("REPOSITORY") { Description = "The registry repository, e.g. localhost:5000/app." };
        var command = new Command("ls", "List the tags of a repository in a registry.")
        {
            repository,
        }.With(
            "containerize ls localhost:5000/app",
            "containerize ls --json mcr.microsoft.com/dotnet/runtime");
        command.SetAction((parse, ct) => CommandRunner.RunAsync(console, parse, "ls", async (session, token) =>
        {
            var reference = Place.Registry(parse.GetValue(repository)!, session.WorkingDirectory, "ls");
            if (reference.Tag is not null || reference.Digest is not null)
            {
                throw CommandRunner.Usage("ls", $"'{parse.GetValue(repository)}' names a tag or digest; write the repository alone");
            }
            var tags = await session.Clients.Get(reference.Registry).ListTagsAsync(reference.Repository, token);
            var document = new JsonObject
            {
                ["repository"] = reference.ToString(),
                ["tags"] = new JsonArray(tags.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
            };
            session.Output.Result(document, output => { foreach (var tag in tags) output.WriteLine(tag); });
            return ExitCodes.Success;
        }, ct));
        return command;
    }
}
