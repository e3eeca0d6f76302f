using System.Text;
using Containers.Oci.Errors;
using Containers.Oci.Registry.Credentials;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Registry;

/// <summary>Where credentials are found, in which order, and how each file format and helper is read. No network.</summary>
public sealed class CredentialSourceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private Dictionary<string, string> Environment(params (string Name, string Value)[] variables)
    {
        var environment = new Dictionary<string, string> { ["HOME"] = _temp.Combine("home"), ["PATH"] = _temp.Combine("bin") + ":/usr/bin:/bin" };
        foreach (var (name, value) in variables) environment[name] = value;
        return environment;
    }

    private static string Auth(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    /// <summary>An auth file's JSON with one <c>auths</c> entry per (key, user, password).</summary>
    private static string Auths(params (string Key, string User, string Password)[] entries)
    {
        var auths = new System.Text.Json.Nodes.JsonObject();
        foreach (var (key, user, password) in entries) auths[key] = new System.Text.Json.Nodes.JsonObject { ["auth"] = Auth(user, password) };
        return new System.Text.Json.Nodes.JsonObject { ["auths"] = auths }.ToJsonString();
    }

    private static Task<RegistryCredential?> FindAsync(ICredentialSource source, string registry, RegistryAccess access = RegistryAccess.Push)
        => source.FindAsync(registry, access, CancellationToken.None);

    [Theory]
    [InlineData(RegistryAccess.Push, "push-user")]
    [InlineData(RegistryAccess.Pull, "pull-user")]
    public async Task The_push_and_pull_variables_come_before_the_general_and_legacy_ones(RegistryAccess access, string expected)
    {
        var source = new EnvironmentCredentialSource(Environment(
            ("DOTNET_CONTAINER_PUSH_REGISTRY_UNAME", "push-user"), ("DOTNET_CONTAINER_PUSH_REGISTRY_PWORD", "p1"),
            ("DOTNET_CONTAINER_PULL_REGISTRY_UNAME", "pull-user"), ("DOTNET_CONTAINER_PULL_REGISTRY_PWORD", "p2"),
            ("DOTNET_CONTAINER_REGISTRY_UNAME", "general"), ("DOTNET_CONTAINER_REGISTRY_PWORD", "p3")));

        Assert.Equal(expected, (await FindAsync(source, "r.example.com", access))!.Username);
    }

    [Fact]
    public async Task The_legacy_SDK_variables_are_read_last_and_a_lone_user_name_is_ignored()
    {
        var source = new EnvironmentCredentialSource(Environment(
            ("DOTNET_CONTAINER_REGISTRY_UNAME", "no-password"),
            ("SDK_CONTAINER_REGISTRY_UNAME", "legacy"), ("SDK_CONTAINER_REGISTRY_PWORD", "secret")));

        var credential = await FindAsync(source, "r.example.com");

        Assert.Equal("legacy", credential!.Username);
        Assert.Equal("environment variables SDK_CONTAINER_REGISTRY_UNAME/PWORD", credential.Source);
    }

    [Fact]
    public void A_credential_never_prints_its_secret()
    {
        var password = RegistryCredential.FromPassword("alice", "hunter2-secret", "somewhere");
        var token = RegistryCredential.FromIdentityToken("refresh-secret", "elsewhere");

        Assert.Equal("user 'alice' from somewhere", password.ToString());
        Assert.Equal("an identity token from elsewhere", token.ToString());
        Assert.DoesNotContain("secret", $"{password} {token}");
    }

    [Theory]
    [InlineData("https://index.docker.io/v1/")]
    [InlineData("index.docker.io")]
    [InlineData("registry-1.docker.io")]
    [InlineData("docker.io")]
    public async Task Docker_Hub_is_found_under_any_of_its_keys(string key)
    {
        _temp.WriteFile("docker/config.json", Auths((key, "hubuser", "pw")));
        var source = new DockerConfigCredentialSource(Environment(("DOCKER_CONFIG", _temp.Combine("docker"))));

        Assert.Equal("hubuser", (await FindAsync(source, "docker.io"))!.Username);
    }

    [Theory]
    [InlineData("https://myregistry.example.com:5000")]
    [InlineData("http://myregistry.example.com:5000/v2/")]
    [InlineData("MyRegistry.example.com:5000")]
    public async Task Keys_with_a_scheme_a_path_or_capitals_match_the_registry(string key)
    {
        _temp.WriteFile("home/.docker/config.json", Auths((key, "u", "pw")));
        var source = new DockerConfigCredentialSource(Environment());

        var credential = await FindAsync(source, "myregistry.example.com:5000");

        Assert.Equal("u", credential!.Username);
        Assert.Equal("pw", credential.Password);
        Assert.Null(await FindAsync(source, "myregistry.example.com:5001"));
    }

    [Fact]
    public async Task An_identitytoken_entry_is_an_identity_token()
    {
        _temp.WriteFile("home/.docker/config.json", """{"auths":{"acr.example.io":{"auth":"MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAwOg==","identitytoken":"refresh-123"}}}""");

        var credential = await FindAsync(new DockerConfigCredentialSource(Environment()), "acr.example.io");

        Assert.Equal("refresh-123", credential!.IdentityToken);
        Assert.False(credential.HasPassword);
    }

    [UnixFact]
    public async Task An_empty_auths_entry_defers_to_the_credsStore()
    {
        WriteHelper("store", """{"ServerURL":"x","Username":"from-store","Secret":"s"}""");
        _temp.WriteFile("home/.docker/config.json", """{"auths":{"r.example.com":{}},"credsStore":"store"}""");

        var credential = await FindAsync(new DockerConfigCredentialSource(Environment()), "r.example.com");

        Assert.Equal("from-store", credential!.Username);
        Assert.Contains("credential helper docker-credential-store", credential.Source);
        Assert.Contains("(credsStore)", credential.Source);
    }

    [UnixFact]
    public async Task A_helper_answering_token_as_user_gives_an_identity_token()
    {
        WriteHelper("tok", """{"ServerURL":"x","Username":"<token>","Secret":"refresh-abc"}""");
        _temp.WriteFile("home/.docker/config.json", """{"credHelpers":{"r.example.com":"tok"}}""");

        var credential = await FindAsync(new DockerConfigCredentialSource(Environment()), "r.example.com");

        Assert.Equal("refresh-abc", credential!.IdentityToken);
        Assert.Null(credential.Username);
    }

    [UnixFact]
    public async Task A_helper_that_has_nothing_gives_no_credential_and_one_that_fails_is_CONTAINER5103()
    {
        WriteHelper("none", "credentials not found in native keychain", exitCode: 1);
        WriteHelper("broken", "boom", exitCode: 3);
        _temp.WriteFile("home/.docker/config.json", """{"credHelpers":{"a.example.com":"none","b.example.com":"broken","c.example.com":"missing"}}""");
        var source = new DockerConfigCredentialSource(Environment());

        Assert.Null(await FindAsync(source, "a.example.com"));
        var broken = await Assert.ThrowsAsync<ContainerException>(() => FindAsync(source, "b.example.com"));
        var missing = await Assert.ThrowsAsync<ContainerException>(() => FindAsync(source, "c.example.com"));

        Assert.Equal(ErrorCatalogue.CredentialHelperFailed.Code, broken.Code);
        Assert.Contains("exit code 3: boom", broken.Message);
        Assert.Contains("docker-credential-missing", missing.Message);
        Assert.Contains("not on PATH", missing.Message);
    }

    [UnixFact]
    public async Task A_helper_is_given_the_Docker_Hub_server_url_for_Docker_Hub()
    {
        var asked = _temp.Combine("asked.txt");
        WriteHelper("hub", """{"ServerURL":"x","Username":"u","Secret":"s"}""", logTo: asked);
        _temp.WriteFile("home/.docker/config.json", """{"credHelpers":{"docker.io":"hub"}}""");

        await FindAsync(new DockerConfigCredentialSource(Environment()), "docker.io");

        Assert.Equal("https://index.docker.io/v1/", File.ReadAllText(asked).Trim());
    }

    [Fact]
    public async Task A_broken_file_is_CONTAINER5104_and_never_echoes_its_content()
    {
        _temp.WriteFile("home/.docker/config.json", """{"auths":{"r":{"auth":"c2VjcmV0LXBhc3N3b3Jk" """);

        var error = await Assert.ThrowsAsync<ContainerException>(() => FindAsync(new DockerConfigCredentialSource(Environment()), "r"));

        Assert.Equal(ErrorCatalogue.CredentialFileInvalid.Code, error.Code);
        Assert.DoesNotContain("c2VjcmV0", error.Message);
    }

    /// <summary>
    /// Issue 12: the JSON parser quotes a bad literal ("'tr0ub4dor...' is an invalid JSON literal"), so a password
    /// written without quotes was printed in the build log. The error names the file, line and byte, nothing else.
    /// </summary>
    [Theory]
    [InlineData("docker")]
    [InlineData("podman")]
    public async Task A_syntax_error_next_to_a_secret_is_CONTAINER5104_naming_the_file_and_line_but_not_the_secret(string tool)
    {
        const string secret = "tr0ub4dor-and-3-more";
        var path = _temp.WriteFile(tool == "docker" ? "home/.docker/config.json" : "home/.config/containers/auth.json",
            $"{{\n  \"auths\": {{\n    \"r.example.com\": {{ \"username\": \"u\", \"password\": {secret} }}\n  }}\n}}\n");
        ICredentialSource source = tool == "docker" ? new DockerConfigCredentialSource(Environment()) : new PodmanAuthFileCredentialSource(Environment());

        var error = await Assert.ThrowsAsync<ContainerException>(() => FindAsync(source, "r.example.com"));

        Assert.Equal(ErrorCatalogue.CredentialFileInvalid.Code, error.Code);
        Assert.Contains(path, error.Message);
        Assert.Contains("line 3", error.Message);
        Assert.DoesNotContain("tr0ub4dor", error.ToString());
        Assert.Null(error.InnerException);
    }

    [Fact]
    public async Task Podman_reads_REGISTRY_AUTH_FILE_alone_when_it_is_set()
    {
        _temp.WriteFile("home/.config/containers/auth.json", Auths(("r.example.com", "home-user", "pw")));
        var custom = _temp.WriteFile("custom/auth.json", Auths(("other.example.com", "custom-user", "pw")));

        var withFile = new PodmanAuthFileCredentialSource(Environment(("REGISTRY_AUTH_FILE", custom)));
        var without = new PodmanAuthFileCredentialSource(Environment());

        Assert.Null(await FindAsync(withFile, "r.example.com"));
        Assert.Equal("custom-user", (await FindAsync(withFile, "other.example.com"))!.Username);
        Assert.Equal("home-user", (await FindAsync(without, "r.example.com"))!.Username);
    }

    [Fact]
    public async Task Podman_reads_the_runtime_folder_before_the_home_folder_and_prefers_a_host_key_to_a_namespaced_one()
    {
        _temp.WriteFile("run/containers/auth.json", Auths(("quay.io/team", "team", "pw"), ("quay.io", "runtime", "pw")));
        _temp.WriteFile("home/.config/containers/auth.json", Auths(("quay.io", "home", "pw")));

        var source = new PodmanAuthFileCredentialSource(Environment(("XDG_RUNTIME_DIR", _temp.Combine("run"))));

        Assert.Equal("runtime", (await FindAsync(source, "quay.io"))!.Username);
        Assert.Equal(2, source.Paths.Count);
    }

    [Fact]
    public async Task The_default_chain_asks_the_environment_then_Docker_then_Podman()
    {
        _temp.WriteFile("home/.docker/config.json", Auths(("r.example.com", "docker", "pw")));
        _temp.WriteFile("home/.config/containers/auth.json", Auths(("r.example.com", "podman", "pw"), ("p.example.com", "podman", "pw")));
        var chain = CredentialChain.CreateDefault(Environment(("DOTNET_CONTAINER_REGISTRY_UNAME", "env"), ("DOTNET_CONTAINER_REGISTRY_PWORD", "pw")));
        var withoutEnvironment = CredentialChain.CreateDefault(Environment());

        Assert.Equal("env", (await FindAsync(chain, "r.example.com"))!.Username);
        Assert.Equal("docker", (await FindAsync(withoutEnvironment, "r.example.com"))!.Username);
        Assert.Equal("podman", (await FindAsync(withoutEnvironment, "p.example.com"))!.Username);
        Assert.Null(await FindAsync(withoutEnvironment, "nowhere.example.com"));
        Assert.Contains("Podman's auth files", withoutEnvironment.Description);
    }

    private void WriteHelper(string name, string output, int exitCode = 0, string? logTo = null)
    {
        var log = logTo is null ? "" : $"cat > '{logTo}'";
        var path = _temp.WriteFile($"bin/docker-credential-{name}", $"#!/bin/sh\n{(log.Length > 0 ? log : "cat > /dev/null")}\necho '{output}'\nexit {exitCode}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
