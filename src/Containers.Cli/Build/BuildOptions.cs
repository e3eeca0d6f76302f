using System.CommandLine;

namespace Containers.Cli.Build;

/// <summary>The build command's options, one per MSBuild property or item of a container publish (docs/cli.md maps them).</summary>
public sealed class BuildOptions
{
    public Argument<string> Folder { get; } = new("FOLDER") { Description = "The folder to containerize: a publish folder (dotnet publish -o DIR), or any folder with --entrypoint." };
    public Option<string> Base { get; } = new("--base") { Description = "The base image (ContainerBaseImage): a registry reference, oci-layout:DIR[:name:tag], an archive, podman:NAME.", Required = true, HelpName = "REF" };
    public Option<string[]> To { get; } = new("--to") { Description = "Where the image goes: a registry reference with an optional tag, oci-layout:DIR[:name:tag], oci-archive:FILE, docker-archive:FILE, podman:[name:tag] or docker-daemon:. Repeat it to send the same image to several places (as ContainerExtraDestinations).", Required = true, HelpName = "DEST", Arity = ArgumentArity.OneOrMore };
    public Option<string[]> Tags { get; } = new("--tag", "-t") { Description = "A tag (ContainerImageTags); repeat for several. Default: the --to reference's tag, else latest.", HelpName = "TAG" };
    public Option<string?> Platform { get; } = new("--platform") { Description = "The image's platform (ContainerRuntimeIdentifier): linux/amd64, linux/arm64, or a runtime identifier. Default: this machine's, on Linux.", HelpName = "PLATFORM" };
    public Option<string[]> Entrypoint { get; } = new("--entrypoint") { Description = "ContainerEntrypoint: one word of the entrypoint; repeat for each.", HelpName = "WORD" };
    public Option<string[]> EntrypointArgs { get; } = new("--entrypoint-arg") { Description = "ContainerEntrypointArgs: one argument; repeat for each.", HelpName = "ARG" };
    public Option<string[]> AppCommand { get; } = new("--app-command") { Description = "ContainerAppCommand: one word of the app's command; repeat for each. Default: dotnet /app/NAME.dll, or /app/NAME when self-contained.", HelpName = "WORD" };
    public Option<string[]> AppCommandArgs { get; } = new("--app-command-arg") { Description = "ContainerAppCommandArgs: one argument; repeat for each.", HelpName = "ARG" };
    public Option<string?> AppCommandInstruction { get; } = new("--app-command-instruction") { Description = "ContainerAppCommandInstruction: Entrypoint, DefaultArgs or None.", HelpName = "KIND" };
    public Option<string[]> DefaultArgs { get; } = new("--default-arg") { Description = "ContainerDefaultArgs: one default argument (the image's Cmd); repeat for each.", HelpName = "ARG" };
    public Option<string[]> Environment { get; } = new("--env", "-e") { Description = "ContainerEnvironmentVariable: NAME=VALUE; repeat for each.", HelpName = "NAME=VALUE" };
    public Option<string[]> Labels { get; } = new("--label", "-l") { Description = "ContainerLabel: NAME=VALUE; repeat for each. A label given here wins over a generated one.", HelpName = "NAME=VALUE" };
    public Option<string[]> Ports { get; } = new("--port", "-p") { Description = "ContainerPort: NUMBER[/tcp|/udp]; repeat for each.", HelpName = "PORT" };
    public Option<string?> User { get; } = new("--user") { Description = "ContainerUser. Default: the base image's APP_UID.", HelpName = "USER" };
    public Option<string?> WorkingDirectory { get; } = new("--workdir") { Description = "ContainerWorkingDirectory: where the app goes. Default: /app/.", HelpName = "DIR" };
    public Option<string?> Layering { get; } = new("--layering") { Description = "ContainerLayering: Auto (runtime, packages, project references and app apart, by the .deps.json) or Single.", HelpName = "MODE" };
    public Option<string?> Compression { get; } = new("--compression") { Description = "ContainerLayerCompression: gzip or zstd.", HelpName = "KIND" };
    public Option<string?> Format { get; } = new("--format") { Description = "ContainerImageFormat: OCI or Docker manifests. Default: the base image's.", HelpName = "FORMAT" };
    public Option<string?> Created { get; } = new("--created") { Description = "ContainerImageCreated: a date, seconds since 1970, or now. Default: SOURCE_DATE_EPOCH, else the folder's git HEAD commit time, else 1970-01-01.", HelpName = "TIME" };
    public Option<string[]> Layers { get; } = new("--layer") { Description = "ContainerLayer: an extra file or folder in a layer of its own, SOURCE=TARGET[,mode=0755][,owner=UID:GID]; repeat for each.", HelpName = "SPEC" };
    public Option<bool> AppOwnedByUser { get; } = new("--app-owned-by-user") { Description = "ContainerAppOwnedByUser: the app folder belongs to the image's user, so the app can write there." };
    public Option<bool> NoGeneratedLabels { get; } = new("--no-generated-labels") { Description = "ContainerGenerateLabels=false: no base name, base digest, created or runtime labels." };
    public Option<string?> ResultFile { get; } = new("--result-file") { Description = "ContainerResultFile: write the result (names, digest, tags) as JSON to this file.", HelpName = "FILE" };

    public IEnumerable<Symbol> All => [Folder, Base, To, Tags, Platform, Entrypoint, EntrypointArgs, AppCommand, AppCommandArgs, AppCommandInstruction, DefaultArgs,
        Environment, Labels, Ports, User, WorkingDirectory, Layering, Compression, Format, Created, Layers, AppOwnedByUser, NoGeneratedLabels, ResultFile];
}
