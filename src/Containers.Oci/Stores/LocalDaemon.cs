using Containers.Oci.Diagnostics;
using Containers.Oci.Errors;

namespace Containers.Oci.Stores;

/// <summary>
/// A local container engine, driven through its command line: <c>docker</c> or <c>podman</c>. Before anything else it
/// is asked for its server version, which fails within seconds when the command is missing or its engine is not
/// running, so a build never gets far before saying so.
/// </summary>
public sealed class LocalDaemon
{
    /// <summary>How long the engine has to answer the version probe.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    private LocalDaemon(LocalDaemonKind kind, string version)
    {
        Kind = kind;
        Version = version;
    }

    public LocalDaemonKind Kind { get; }

    /// <summary>The command: <c>docker</c> or <c>podman</c>.</summary>
    public string Command => CommandFor(Kind);

    /// <summary>The engine's version, as it answered the probe.</summary>
    public string Version { get; }

    public override string ToString() => $"{Command} {Version}";

    public static string CommandFor(LocalDaemonKind kind) => kind == LocalDaemonKind.Docker ? "docker" : "podman";

    /// <summary>The engine <paramref name="kind"/>, once it has answered; CONTAINER1012 naming the command and its answer otherwise.</summary>
    public static async Task<LocalDaemon> ConnectAsync(LocalDaemonKind kind, CancellationToken cancellationToken)
    {
        var (daemon, failure) = await ProbeAsync(kind, cancellationToken).ConfigureAwait(false);
        return daemon ?? throw ErrorCatalogue.LocalRegistryUnavailable.ToException(failure);
    }

    /// <summary>
    /// The engine to use when LocalRegistry is empty, as the SDK chooses: docker when its engine answers, else podman.
    /// CONTAINER1012 with both commands' answers when neither does.
    /// </summary>
    public static async Task<LocalDaemon> DetectAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        var (docker, dockerFailure) = await ProbeAsync(LocalDaemonKind.Docker, cancellationToken).ConfigureAwait(false);
        if (docker is not null) return docker;
        log.Detail($"Not using docker: {dockerFailure}");
        var (podman, podmanFailure) = await ProbeAsync(LocalDaemonKind.Podman, cancellationToken).ConfigureAwait(false);
        return podman ?? throw ErrorCatalogue.LocalRegistryUnavailable.ToException($"{dockerFailure}; {podmanFailure}");
    }

    /// <summary>
    /// Runs <c>docker load</c> / <c>podman load</c> with the archive <paramref name="writeArchive"/> streams to its
    /// standard input: no copy of the image is written to disk on our side. Returns what the engine printed.
    /// </summary>
    public async Task<string> LoadAsync(Func<Stream, CancellationToken, Task> writeArchive, CancellationToken cancellationToken)
    {
        var result = await CommandRunner.RunAsync(Command, ["load"], timeout: null, cancellationToken, writeArchive).ConfigureAwait(false);
        if (!result.Succeeded) throw ErrorCatalogue.LocalRegistryLoadFailed.ToException(Command, result.CommandLine, result.Answer());
        return result.StandardOutput.Trim();
    }

    /// <summary>Gives a loaded image more names (<c>docker tag</c> / <c>podman tag</c>).</summary>
    public async Task TagAsync(string image, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        foreach (var name in names)
        {
            var result = await CommandRunner.RunAsync(Command, ["tag", image, name], ProbeTimeout, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded) throw ErrorCatalogue.LocalRegistryLoadFailed.ToException(Command, result.CommandLine, result.Answer(ProbeTimeout));
        }
    }

    /// <summary>
    /// Exports an image from the engine's store to <paramref name="outputPath"/>: podman as an oci-archive, docker as
    /// a docker-archive (the only format every docker version writes).
    /// </summary>
    public async Task<ArchiveFormat> SaveAsync(string image, string outputPath, CancellationToken cancellationToken)
    {
        string[] arguments = Kind == LocalDaemonKind.Podman
            ? ["save", "--format", "oci-archive", "-o", outputPath, image]
            : ["save", "-o", outputPath, image];
        var result = await CommandRunner.RunAsync(Command, arguments, timeout: null, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded) throw ErrorCatalogue.LocalImageExportFailed.ToException(image, Command, result.CommandLine, result.Answer());
        return Kind == LocalDaemonKind.Podman ? ArchiveFormat.OciArchive : ArchiveFormat.DockerArchive;
    }

    private static async Task<(LocalDaemon? Daemon, string Failure)> ProbeAsync(LocalDaemonKind kind, CancellationToken cancellationToken)
    {
        var command = CommandFor(kind);
        var result = await CommandRunner.RunAsync(command, ["version", "--format", "{{.Server.Version}}"], ProbeTimeout, cancellationToken).ConfigureAwait(false);
        var version = result.StandardOutput.Trim();
        if (result.Succeeded && version.Length > 0 && version != "<no value>") return (new LocalDaemon(kind, version), "");
        return (null, $"'{result.CommandLine}' answered: {(result.Succeeded ? "no server version" : result.Answer(ProbeTimeout))}");
    }
}
