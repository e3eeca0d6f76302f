using System.CommandLine;
using System.Text.Json.Nodes;
using Containers.Cli.Build;
using Containers.Oci.Publishing;

namespace Containers.Cli.Commands;

/// <summary>
/// <c>build FOLDER --base REF --to REF</c>: what the PublishContainer target does, for any folder. The options become
/// <see cref="ContainerSettings"/> (<see cref="BuildSettings"/>), checked by <see cref="PublishRequestBuilder"/> and
/// built by <see cref="ContainerPublisher"/>: the same code as the MSBuild task, so the same image.
/// </summary>
public static class BuildCommand
{
    public static Command Create(CliConsole console)
    {
        var options = new BuildOptions();
        var command = new Command("build", "Build an image from a folder on a base image and send it to a registry, a layout, an archive or docker/podman. With a .deps.json in the folder, layers are split as dotnet publish splits them (runtime, packages, project references, app).").With(
            "dotnet publish -c Release -o out && containerize build out --base mcr.microsoft.com/dotnet/runtime:10.0 --to localhost:5000/app:1.0",
            "containerize build out --base mcr.microsoft.com/dotnet/aspnet:10.0 --to registry-a:5000/app --to registry-b:5000/app --tag 1.0 --tag latest",
            "containerize build out --base localhost:5000/dotnet/runtime-deps:10.0 --to oci-layout:./image:app:1.0 --platform linux/arm64 --port 8080 --env ASPNETCORE_ENVIRONMENT=Production",
            "containerize build site --base docker.io/library/nginx:1.27 --to podman:site:dev --entrypoint nginx --default-arg -g --default-arg 'daemon off;' --workdir /usr/share/nginx/html");
        foreach (var symbol in options.All)
        {
            switch (symbol)
            {
                case Argument argument: command.Add(argument); break;
                case Option option: command.Add(option); break;
            }
        }
        command.SetAction((parse, ct) => CommandRunner.RunAsync(console, parse, "build", async (session, token) =>
        {
            var settings = BuildSettings.From(parse, options, session.WorkingDirectory, session.CacheDirectory, console.Environment);
            // A result left by an earlier build must not pass for this one's if this one fails.
            if (settings.ResultFile is { } resultFile) PublishResultFile.Delete(resultFile);
            var request = PublishRequestBuilder.Build(settings, session.Log.Warning);
            using var publisher = new ContainerPublisher(session.Log);
            var result = await publisher.PublishAsync(request, token);
            if (request.ResultFile is { } file) await PublishResultFile.WriteAsync(file, PublishResultFile.Describe(request, result.Names, result.Image, result.ArchivePath), token);

            var names = result.AllNames.Count > 0 ? result.AllNames : result.Names;
            var document = Describe.Content(result.Image);
            document["config"] = result.Image.Manifest.Config.Digest;
            document["platform"] = request.Platform.ToString();
            document["names"] = new JsonArray(names.Select(n => (JsonNode)JsonValue.Create(n)).ToArray());
            document["archive"] = result.ArchivePath;
            document["summary"] = result.Summary;
            session.Output.Result(document, output => { foreach (var name in names) output.WriteLine($"{name} {result.Image.Digest}"); });
            return ExitCodes.Success;
        }, ct, transfers: true));
        return command;
    }
}
