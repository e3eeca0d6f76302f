using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.Cli;

/// <summary>
/// login against a registry with Basic auth: the password comes from standard input only, lands in docker's
/// config.json (mode 0600) where the tool's later commands find it, and is never printed; cache list and prune.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class CliLoginTests(RegistryFixture registry, BasicAuthRegistryFixture secured, CliFixture local)
    : IClassFixture<BasicAuthRegistryFixture>, IClassFixture<CliFixture>
{
    [Fact]
    public async Task Login_FromStdin_StoresWhereDockerDoes_AndLaterCommandsAreLetIn()
    {
        await registry.EnsureBaseImagesAsync();
        var tool = await CliTool.GetAsync();
        var dockerConfig = local.Temp.Combine($"docker-{Guid.NewGuid():N}");
        var environment = new Dictionary<string, string?> { ["DOCKER_CONFIG"] = dockerConfig, ["REGISTRY_AUTH_FILE"] = null, ["HOME"] = local.Temp.Path };
        var target = $"{secured.Registry}/{RegistryFixture.UniqueRepository("cli-login")}:1.0";
        var copy = new[] { "copy", "--platform", "linux/amd64", registry.BaseImage("runtime-deps").ToString(), target };

        var refused = await tool.RunAsync(copy, expectSuccess: false, environment);
        var login = await ProcessRunner.RunAsync("sh", ["-c", "printf '%s\\n' \"$PW\" | \"$TOOL\" login \"$REG\" --username \"$USER_NAME\" --password-stdin"],
            new ProcessOptions
            {
                Environment = CliTool.Environment(new Dictionary<string, string?>(environment)
                {
                    ["PW"] = secured.Password, ["TOOL"] = tool.Executable, ["REG"] = secured.Registry, ["USER_NAME"] = secured.Username,
                }),
            });
        var copied = await tool.RunAsync(copy, expectSuccess: true, environment);
        var listed = await tool.RunAsync(["ls", target[..target.LastIndexOf(':')]], expectSuccess: true, environment);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("error CONTAINER1016:", refused.StandardError);
        var file = Path.Combine(dockerConfig, "config.json");
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var auth = JsonNode.Parse(await File.ReadAllTextAsync(file))!["auths"]![secured.Registry]!["auth"]!.GetValue<string>();
        Assert.Equal($"{secured.Username}:{secured.Password}", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(auth)));
        Assert.Equal("1.0", listed.StandardOutput.Trim());
        foreach (var output in new[] { login, copied, listed, refused })
        {
            foreach (var secret in secured.Secrets) Assert.DoesNotContain(secret, output.StandardOutput + output.StandardError);
        }
    }

    [Fact]
    public async Task Login_WithoutAPasswordOnStdin_Is5703_AndStoresNothing()
    {
        var tool = await CliTool.GetAsync();
        var dockerConfig = local.Temp.Combine($"docker-{Guid.NewGuid():N}");

        var result = await tool.RunAsync(["login", secured.Registry, "-u", "alice", "--password-stdin"], expectSuccess: false,
            new Dictionary<string, string?> { ["DOCKER_CONFIG"] = dockerConfig, ["REGISTRY_AUTH_FILE"] = null });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error CONTAINER5703:", result.StandardError);
        Assert.False(Directory.Exists(dockerConfig));
    }

    [Fact]
    public async Task Cache_ListShowsWhatACopyCached_AndPruneEmptiesIt()
    {
        await registry.EnsureBaseImagesAsync();
        var tool = await CliTool.GetAsync();
        var cache = local.Temp.Combine($"cache-{Guid.NewGuid():N}");
        // A copy into a layout reads the registry's blobs through the content cache.
        await tool.RunAsync("--cache-dir", cache, "copy", "--platform", "linux/amd64", registry.BaseImage("runtime-deps").ToString(), $"oci-layout:{local.Temp.Combine($"layout-{Guid.NewGuid():N}")}:deps:1");

        var listed = JsonNode.Parse((await tool.RunAsync("cache", "list", "--json", "--cache-dir", cache)).StandardOutput)!;
        var pruned = JsonNode.Parse((await tool.RunAsync("cache", "prune", "--json", "--cache-dir", cache)).StandardOutput)!;
        var badLimit = await tool.RunAsync(["cache", "prune", "--max-size", "lots", "--cache-dir", cache], expectSuccess: false);

        Assert.True(listed["count"]!.GetValue<int>() > 0);
        Assert.Equal(listed["count"]!.GetValue<int>(), pruned["removedEntries"]!.GetValue<int>());
        Assert.Equal(0, pruned["count"]!.GetValue<int>());
        Assert.Equal(2, badLimit.ExitCode);
        Assert.Contains("error CONTAINER5700:", badLimit.StandardError);
    }
}
