using System.CommandLine;
using Containers.Oci.Errors;

namespace Containers.Cli;

/// <summary>
/// Runs one command's work and turns its outcome into an exit code: a catalogue error is printed with its code and fix
/// (never a stack trace) and exits 1, or 2 when it is a usage mistake; anything else is a bug, reported as
/// CONTAINER5999, with the stack trace only under --verbose.
/// </summary>
public static class CommandRunner
{
    /// <param name="transfers">The command moves blobs (build, copy, rebase, tag): progress bars are drawn while it runs.</param>
    public static async Task<int> RunAsync(CliConsole console, ParseResult parse, string command, Func<CliSession, CancellationToken, Task<int>> work, CancellationToken cancellationToken,
        bool transfers = false)
    {
        using var session = new CliSession(console, parse, command);
        try
        {
            return transfers ? await session.Log.RunAsync(() => work(session, cancellationToken)) : await work(session, cancellationToken);
        }
        catch (ContainerException e)
        {
            session.Output.Error(e.Code, e.Message);
            return e.Error == ErrorCatalogue.CliUsage ? ExitCodes.Usage : ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            session.Output.Error(null, "Cancelled; nothing that was being written is named (tags are only moved once an image is complete).");
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            session.Output.Error(ErrorCatalogue.UnexpectedFailure.Code, ErrorCatalogue.UnexpectedFailure.Format(e.Message.TrimEnd('.')));
            if (session.Verbose) console.Error.WriteLine(e.ToString());
            return ExitCodes.Failure;
        }
    }

    /// <summary>A usage mistake found after parsing (a value System.CommandLine cannot check): exit code 2.</summary>
    public static ContainerException Usage(string command, string message) => ErrorCatalogue.CliUsage.ToException(message.TrimEnd('.'), command);
}
