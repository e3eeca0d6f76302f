namespace Containers.Cli;

/// <summary>The documented exit codes (docs/cli.md): scripts branch on them, so they never change meaning.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran and failed: a registry refused, an image is not valid, a file could not be written.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: an unknown option, a missing argument, a value that cannot be parsed.</summary>
    public const int Usage = 2;
}
