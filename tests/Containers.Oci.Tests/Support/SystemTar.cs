using System.Diagnostics;
using Xunit.Sdk;

namespace Containers.Oci.Tests.Support;

/// <summary>Runs the system's GNU tar: an archive reader written by someone else, to check our tars independently.</summary>
public static class SystemTar
{
    public static string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("tar")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["LC_ALL"] = "C";
        start.Environment["TZ"] = "UTC";

        using var process = Process.Start(start) ?? throw new XunitException("Could not start tar.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            throw new XunitException("tar did not finish within 30 s.");
        }
        if (process.ExitCode != 0) throw new XunitException($"tar {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result}");
        return stdout;
    }
}
