namespace Containers.Oci.Errors;

/// <summary>The containerize command line's own codes (CONTAINER5700-5749); every other failure keeps the engine's code.</summary>
public static partial class ErrorCatalogue
{
    // 57xx: the containerize command line
    public static readonly ContainerError CliUsage = new("CONTAINER5700",
        "{0} (see 'containerize {1} --help' for the options and examples).",
        "Correct the command line; nothing was read or written.");
    public static readonly ContainerError CliAppCommandUnknown = new("CONTAINER5701",
        "The folder '{0}' holds no .NET app whose command could be inferred: {1}.",
        "Publish the app into the folder first (dotnet publish -o FOLDER), or say how the image starts with --entrypoint or --app-command.");
    public static readonly ContainerError ImageInconsistent = new("CONTAINER5702",
        "The image {0} is not consistent ({1} problem{2}): {3}.",
        "The place that holds it is damaged or was written by a faulty tool: copy the image again from a good source, or build it again.");
    public static readonly ContainerError LoginPasswordMissing = new("CONTAINER5703",
        "No password was read for '{0}': {1}.",
        "Pipe the password or token in: printf '%s' \"$TOKEN\" | containerize login REGISTRY --username USER --password-stdin.");
    public static readonly ContainerError LoginWriteFailed = new("CONTAINER5704",
        "The credentials for '{0}' could not be stored in '{1}': {2}.",
        "Make that file and its folder writable (or choose another with --authfile), then log in again; the file is left as it was.");
    public static readonly ContainerError RegistryOnlyCommand = new("CONTAINER5705",
        "'{0}' is not a registry repository, and {1} needs one: {2}.",
        "Write REGISTRY/REPOSITORY, for example 'localhost:5000/my-app'.");
    public static readonly ContainerError RebaseBaseUnknown = new("CONTAINER5706",
        "The image {0} does not say which base it was built on: {1}.",
        "Name the old base with --old-base (the image it was built on, by digest for certainty); images built by Containers.Build or containerize record it in their org.opencontainers.image.base.name and base.digest labels.");
}
