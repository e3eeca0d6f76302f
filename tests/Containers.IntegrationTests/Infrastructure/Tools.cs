using System.Text.Json.Nodes;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>podman, used as a user would: pull from the test registry over plain HTTP and run.</summary>
public static class Podman
{
    public static Task PullAsync(string image)
        => ProcessRunner.RunAsync("podman", ["pull", "-q", "--tls-verify=false", image], new ProcessOptions { Timeout = TimeSpan.FromMinutes(3) });

    /// <summary>Runs the image to completion and returns its standard output.</summary>
    public static async Task<string> RunAsync(string image, params string[] args)
    {
        var result = await ProcessRunner.RunAsync("podman", ["run", "--rm", image, .. args], new ProcessOptions { Timeout = TimeSpan.FromMinutes(2) });
        return result.StandardOutput;
    }

    /// <summary>Starts the image in the background with a host port mapped to 8080; returns the container id.</summary>
    public static async Task<string> StartAsync(string image, int hostPort, int containerPort = 8080)
    {
        var result = await ProcessRunner.RunAsync("podman", ["run", "-d", "-p", $"127.0.0.1:{hostPort}:{containerPort}", image],
            new ProcessOptions { Timeout = TimeSpan.FromMinutes(2) });
        return result.StandardOutput.Trim();
    }

    public static Task RemoveAsync(string container)
        => ProcessRunner.RunAsync("podman", ["rm", "-f", container], new ProcessOptions { CheckExitCode = false });

    public static Task RemoveImageAsync(string image)
        => ProcessRunner.RunAsync("podman", ["rmi", "-f", image], new ProcessOptions { CheckExitCode = false });

    public static async Task<string> LogsAsync(string container)
    {
        var result = await ProcessRunner.RunAsync("podman", ["logs", container], new ProcessOptions { CheckExitCode = false });
        return result.StandardOutput + result.StandardError;
    }
}

/// <summary>skopeo, an independent reader of what we push.</summary>
public static class Skopeo
{
    public static async Task<JsonObject> InspectConfigAsync(string image)
        => (JsonObject)JsonNode.Parse((await RunAsync("inspect", "--config", "--tls-verify=false", "docker://" + image)).StandardOutput)!;

    public static async Task<JsonObject> InspectAsync(string image)
        => (JsonObject)JsonNode.Parse((await RunAsync("inspect", "--tls-verify=false", "docker://" + image)).StandardOutput)!;

    public static async Task<string> InspectRawAsync(string image)
        => (await RunAsync("inspect", "--raw", "--tls-verify=false", "docker://" + image)).StandardOutput;

    public static Task<ProcessResult> RunAsync(params string[] args)
        => ProcessRunner.RunAsync("skopeo", args, new ProcessOptions { Timeout = TimeSpan.FromMinutes(3) });
}

/// <summary>A free TCP port on the loopback interface.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
