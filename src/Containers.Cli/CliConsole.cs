namespace Containers.Cli;

/// <summary>
/// What the tool reads and writes outside itself: standard streams and the environment. The process's own in
/// <see cref="FromEnvironment"/>; tests give writers of their own, so a command is run in process and its output read.
/// </summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, Func<Stream> OpenStandardOutput, TextReader In, Func<string, string?> Environment)
{
    /// <summary>True when standard error is a terminal (progress bars and colour), false when redirected or captured.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>True when standard input is a terminal: a password must then come from a pipe, never typed.</summary>
    public bool InputIsTerminal { get; init; }

    public static CliConsole FromEnvironment() => new(Console.Out, Console.Error, Console.OpenStandardOutput, Console.In, System.Environment.GetEnvironmentVariable)
    {
        ErrorIsTerminal = !Console.IsErrorRedirected,
        InputIsTerminal = !Console.IsInputRedirected,
    };

    /// <summary>NO_COLOR (no-color.org): any non-empty value turns colour off.</summary>
    public bool NoColor => Environment("NO_COLOR") is { Length: > 0 };

    /// <summary>CI systems set CI (GitHub, GitLab, Azure Pipelines' TF_BUILD too): their logs get plain lines, never redrawn bars.</summary>
    public bool InContinuousIntegration => Environment("CI") is { Length: > 0 } ci && ci != "false" || Environment("TF_BUILD") is { Length: > 0 };
}
