using System.Text;
using System.Text.Json.Nodes;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>The places a user keeps registry credentials, each of which the client must read.</summary>
public enum CredentialStore
{
    /// <summary>DOTNET_CONTAINER_REGISTRY_UNAME / _PWORD.</summary>
    Environment,

    /// <summary>Docker's config.json, <c>auths</c> with a base64 <c>auth</c>.</summary>
    DockerConfigAuths,

    /// <summary>Docker's config.json naming a credential helper (an executable the test writes) in <c>credHelpers</c>.</summary>
    CredentialHelper,

    /// <summary>Docker's config.json with a <c>credsStore</c>: the same helper for every registry.</summary>
    CredentialStoreHelper,

    /// <summary>Podman's ~/.config/containers/auth.json.</summary>
    PodmanAuthFile,

    /// <summary>Podman's REGISTRY_AUTH_FILE.</summary>
    PodmanRegistryAuthFile,
}

/// <summary>
/// Builds the environment a client reads for one <see cref="CredentialStore"/>: a private HOME (so the machine's own
/// ~/.docker is never read), a PATH holding the test's helper, and the store's files. Nothing touches the process's own
/// environment, so tests run in parallel.
/// </summary>
public sealed class CredentialStores(string directory)
{
    public const string HelperName = "containers-test";

    /// <summary>An environment with no credentials anywhere.</summary>
    public Dictionary<string, string> Empty()
    {
        var home = Path.Combine(directory, "home");
        var bin = Path.Combine(directory, "bin");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(bin);
        return new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["PATH"] = $"{bin}{Path.PathSeparator}/usr/local/bin{Path.PathSeparator}/usr/bin{Path.PathSeparator}/bin",
        };
    }

    /// <summary>An environment holding <paramref name="user"/>:<paramref name="password"/> for <paramref name="registry"/> in <paramref name="store"/>.</summary>
    public Dictionary<string, string> With(CredentialStore store, string registry, string user, string password)
    {
        var environment = Empty();
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        switch (store)
        {
            case CredentialStore.Environment:
                environment["DOTNET_CONTAINER_REGISTRY_UNAME"] = user;
                environment["DOTNET_CONTAINER_REGISTRY_PWORD"] = password;
                break;
            case CredentialStore.DockerConfigAuths:
                environment["DOCKER_CONFIG"] = WriteJson("docker/config.json", new JsonObject { ["auths"] = new JsonObject { [registry] = new JsonObject { ["auth"] = auth } } });
                break;
            case CredentialStore.CredentialHelper:
                WriteHelper(registry, user, password);
                environment["DOCKER_CONFIG"] = WriteJson("docker/config.json", new JsonObject { ["credHelpers"] = new JsonObject { [registry] = HelperName } });
                break;
            case CredentialStore.CredentialStoreHelper:
                WriteHelper(registry, user, password);
                environment["DOCKER_CONFIG"] = WriteJson("docker/config.json", new JsonObject { ["auths"] = new JsonObject { [registry] = new JsonObject() }, ["credsStore"] = HelperName });
                break;
            case CredentialStore.PodmanAuthFile:
                WriteJson("home/.config/containers/auth.json", new JsonObject { ["auths"] = new JsonObject { [registry] = new JsonObject { ["auth"] = auth } } });
                break;
            case CredentialStore.PodmanRegistryAuthFile:
                environment["REGISTRY_AUTH_FILE"] = Path.Combine(WriteJson("podman/auth.json", new JsonObject { ["auths"] = new JsonObject { [registry] = new JsonObject { ["auth"] = auth } } }), "auth.json");
                break;
        }
        return environment;
    }

    /// <summary>Docker's config.json with an identity token for the registry (what <c>docker login</c> keeps for OAuth registries).</summary>
    public Dictionary<string, string> WithIdentityToken(string registry, string identityToken)
    {
        var environment = Empty();
        environment["DOCKER_CONFIG"] = WriteJson("docker/config.json", new JsonObject { ["auths"] = new JsonObject { [registry] = new JsonObject { ["identitytoken"] = identityToken } } });
        return environment;
    }

    /// <summary>
    /// <c>docker-credential-containers-test</c>: answers <c>get</c> for exactly one server with the credential protocol's JSON,
    /// and "credentials not found" (exit 1) for any other. It logs each server asked to helper.log.
    /// </summary>
    private void WriteHelper(string registry, string user, string password)
    {
        var path = Path.Combine(directory, "bin", "docker-credential-" + HelperName);
        var script = $$"""
            #!/bin/sh
            [ "$1" = get ] || { echo "unsupported: $1" >&2; exit 1; }
            IFS= read -r server || true
            echo "$server" >> "{{Path.Combine(directory, "helper.log")}}"
            if [ "$server" = "{{registry}}" ]; then
              printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}\n' "$server" '{{user}}' '{{password}}'
            else
              echo "credentials not found in native keychain"
              exit 1
            fi
            """;
        File.WriteAllText(path, script.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The servers the helper was asked for, in order.</summary>
    public IReadOnlyList<string> HelperCalls()
    {
        var log = Path.Combine(directory, "helper.log");
        return File.Exists(log) ? File.ReadAllLines(log) : [];
    }

    /// <summary>Writes JSON under the folder; returns the folder holding it (what DOCKER_CONFIG names).</summary>
    private string WriteJson(string relativePath, JsonObject content)
    {
        var path = Path.Combine(directory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.ToJsonString());
        return Path.GetDirectoryName(path)!;
    }
}
