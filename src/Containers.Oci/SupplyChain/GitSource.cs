using System.Diagnostics;

namespace Containers.Oci.SupplyChain;

/// <summary>
/// The source an image was built from: the git commit of HEAD and the origin remote's URL, without any user name or
/// token a URL may carry (those are secrets, and provenance is public). Null outside git or when git is missing.
/// </summary>
public sealed record GitSource(string? Uri, string Commit)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static GitSource? TryRead(string? directory)
    {
        if (directory is null || !Directory.Exists(directory) || !InsideGit(directory)) return null;
        var commit = Git(directory, "rev-parse", "HEAD");
        if (commit is null || commit.Length < 40) return null;
        return new GitSource(WithoutCredentials(Git(directory, "config", "--get", "remote.origin.url")), commit);
    }

    /// <summary><c>https://user:token@host/x.git</c> → <c>https://host/x.git</c>; scp-style and local URLs stay as they are.</summary>
    internal static string? WithoutCredentials(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        if (!System.Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.UserInfo.Length == 0 || parsed.IsFile) return url;
        return new UriBuilder(parsed) { UserName = "", Password = "" }.Uri.ToString();
    }

    private static bool InsideGit(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git"))) return true;
        }
        return false;
    }

    private static string? Git(string directory, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
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
            return git.ExitCode == 0 ? output.Result.Trim() : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}
