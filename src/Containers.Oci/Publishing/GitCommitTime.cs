using System.Diagnostics;
using System.Globalization;

namespace Containers.Oci.Publishing;

/// <summary>
/// The commit time of HEAD in the git work tree holding a folder, so that images built from the same commit carry
/// the same time on every machine. Null outside git, or when git is missing or slow.
/// </summary>
public static class GitCommitTime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static DateTimeOffset? TryRead(string directory)
    {
        if (!Directory.Exists(directory) || !IsInsideGitWorkTree(directory)) return null;
        try
        {
            var start = new ProcessStartInfo("git")
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "log", "-1", "--format=%ct" }) start.ArgumentList.Add(argument);
            start.Environment["GIT_TERMINAL_PROMPT"] = "0";
            using var git = Process.Start(start);
            if (git is null) return null;
            var output = git.StandardOutput.ReadToEndAsync();
            _ = git.StandardError.ReadToEndAsync();
            if (!git.WaitForExit(Timeout))
            {
                try { git.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                return null;
            }
            return git.ExitCode == 0 && long.TryParse(output.Result.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    /// <summary>A cheap check first, so builds outside git never start a process.</summary>
    private static bool IsInsideGitWorkTree(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git"))) return true;
        }
        return false;
    }
}
