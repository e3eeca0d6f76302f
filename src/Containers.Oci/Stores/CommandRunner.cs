using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Containers.Oci.Stores;

/// <summary>What a command did: its exit code and output, or that it could not be started or did not finish in time.</summary>
internal sealed record CommandResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError, bool NotFound = false, bool TimedOut = false)
{
    public bool Succeeded => !NotFound && !TimedOut && ExitCode == 0;

    /// <summary>The command's own words, for an error message: stderr, else stdout, else how it ended.</summary>
    public string Answer(TimeSpan? timeout = null)
    {
        if (NotFound) return "the command was not found";
        if (TimedOut) return $"no answer within {timeout?.TotalSeconds ?? 0:0} s";
        var text = (StandardError.Trim().Length > 0 ? StandardError : StandardOutput).Trim();
        if (text.Length > 2000) text = text[..2000] + " …";
        return text.Length > 0 ? $"{text} (exit code {ExitCode})" : $"exit code {ExitCode}";
    }
}

/// <summary>Runs docker and podman: arguments passed as a list (never through a shell), output captured, killed on timeout or cancel.</summary>
internal static class CommandRunner
{
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(3);

    /// <param name="writeInput">Writes the command's standard input, then it is closed; null closes it at once.</param>
    public static async Task<CommandResult> RunAsync(string command, IReadOnlyList<string> arguments, TimeSpan? timeout, CancellationToken cancellationToken,
        Func<Stream, CancellationToken, Task>? writeInput = null)
    {
        var startInfo = new ProcessStartInfo(command)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        var commandLine = string.Join(' ', [command, .. arguments]);

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new Win32Exception($"{command} did not start");
        }
        catch (Win32Exception)
        {
            return new CommandResult(commandLine, -1, "", "", NotFound: true);
        }

        using (process)
        {
            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            var pumps = Task.WhenAll(PumpAsync(process.StandardOutput, stdout), PumpAsync(process.StandardError, stderr));
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout is { } t) limit.CancelAfter(t);
            try
            {
                var input = process.StandardInput.BaseStream;
                if (writeInput is not null)
                {
                    try
                    {
                        await writeInput(input, limit.Token).ConfigureAwait(false);
                    }
                    catch (IOException)
                    {
                        // The command stopped reading because it failed: its exit code and output say why.
                        if (!await ExitsSoonAsync(process).ConfigureAwait(false)) throw;
                    }
                }
                try { input.Close(); }
                catch (IOException) { }
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
                // A child that inherited the pipes must not hold us up once the command itself has exited.
                await Task.WhenAny(pumps, Task.Delay(OutputGrace, CancellationToken.None)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                if (cancellationToken.IsCancellationRequested) throw;
                return new CommandResult(commandLine, -1, Snapshot(stdout), Snapshot(stderr), TimedOut: true);
            }
            catch
            {
                Kill(process);
                throw;
            }
            return new CommandResult(commandLine, process.ExitCode, Snapshot(stdout), Snapshot(stderr));
        }
    }

    private static async Task<bool> ExitsSoonAsync(Process process)
    {
        using var wait = new CancellationTokenSource(OutputGrace);
        try { await process.WaitForExitAsync(wait.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        return process.HasExited;
    }

    private static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder sink)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (sink) sink.Append(buffer, 0, read);
        }
    }

    private static string Snapshot(StringBuilder sink)
    {
        lock (sink) return sink.ToString();
    }
}
