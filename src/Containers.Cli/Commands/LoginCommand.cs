using System.CommandLine;
using System.Text.Json.Nodes;
using Containers.Oci.Errors;
using Containers.Oci.Names;
using Containers.Oci.Registry.Credentials;

namespace Containers.Cli.Commands;

/// <summary>
/// <c>login REGISTRY --username U --password-stdin</c>: stores the login where docker or podman would
/// (<see cref="CredentialFileWriter"/>), so this tool, dotnet publish, docker, podman and skopeo all use it. The
/// password comes from standard input only, never from an argument (which other users and shell histories see).
/// </summary>
public static class LoginCommand
{
    public static Command Create(CliConsole console)
    {
        var registry = new Argument<string>("REGISTRY") { Description = "The registry host, with its port if any: localhost:5000, registry.example.com, docker.io." };
        var username = new Option<string>("--username", "-u") { Description = "The user name (or '<token>' for a token that is its own user).", Required = true, HelpName = "USER" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password or token from standard input (required: there is no password option).", Required = true };
        var authFile = new Option<string?>("--authfile") { Description = "The file to store it in (default: REGISTRY_AUTH_FILE, else docker's config.json in DOCKER_CONFIG or ~/.docker).", HelpName = "FILE" };
        var command = new Command("login", "Store credentials for a registry where docker and podman keep them.")
        {
            registry, username, passwordStdin, authFile,
        }.With(
            "printf '%s' \"$REGISTRY_TOKEN\" | containerize login registry.example.com --username ci --password-stdin",
            "containerize login localhost:5000 -u alice --password-stdin --authfile ~/.config/containers/auth.json < password.txt");
        command.SetAction((parse, ct) => CommandRunner.RunAsync(console, parse, "login", (session, token) =>
        {
            var host = parse.GetValue(registry)!.Trim();
            if (!ImageReference.IsValidRegistry(RegistryKeysFor(host))) throw ErrorCatalogue.InvalidRegistryName.ToException(host, "write a host name with an optional port");
            var password = ReadPassword(console, host);
            var environment = Environment(console);
            var path = parse.GetValue(authFile) is { Length: > 0 } given ? Path.GetFullPath(given, session.WorkingDirectory)
                : CredentialFileWriter.DefaultPath(environment) ?? throw ErrorCatalogue.LoginWriteFailed.ToException(host, "(none)", "there is no home folder; pass --authfile");
            CredentialFileWriter.Store(path, host, parse.GetValue(username)!, password);
            var document = new JsonObject { ["registry"] = host, ["key"] = CredentialFileWriter.KeyFor(host), ["file"] = path };
            session.Output.Result(document, output => output.WriteLine($"Login for {host} stored in {path}."));
            return Task.FromResult(ExitCodes.Success);
        }, ct));
        return command;
    }

    /// <summary>The password on standard input, without the line end a shell's echo adds; never typed at a terminal.</summary>
    private static string ReadPassword(CliConsole console, string registry)
    {
        if (console.InputIsTerminal) throw ErrorCatalogue.LoginPasswordMissing.ToException(registry, "standard input is a terminal, not a pipe");
        var password = console.In.ReadToEnd().TrimEnd('\r', '\n');
        return password.Length > 0 ? password : throw ErrorCatalogue.LoginPasswordMissing.ToException(registry, "standard input was empty");
    }

    private static string RegistryKeysFor(string host) => host.Contains("://", StringComparison.Ordinal) ? host[(host.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/') : host;

    private static IReadOnlyDictionary<string, string> Environment(CliConsole console)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "REGISTRY_AUTH_FILE", "DOCKER_CONFIG", "HOME", "USERPROFILE" })
        {
            if (console.Environment(name) is { Length: > 0 } value) variables[name] = value;
        }
        return variables;
    }
}
