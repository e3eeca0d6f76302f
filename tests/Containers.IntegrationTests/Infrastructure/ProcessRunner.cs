using System.Diagnostics;
using System.Text;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>How to run a process: where, with what environment, for how long, and whether a non-zero exit is a failure.</summary>
public sealed record ProcessOptions
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set; a null value removes the variable from the inherited environment.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>When true (the default), a non-zero exit code throws <see cref="ProcessFailedException"/>.</summary>
    public bool CheckExitCode { get; init; } = true;

    /// <summary>Called with each line of stdout and stderr as it arrives (e.g. to forward to ITestOutputHelper).</summary>
    public Action<string>? OnOutputLine { get; init; }
}

/// <summary>What a finished process printed and returned.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration)
{
    public override string ToString()
        => $"{CommandLine}\nexit code {ExitCode} after {Duration.TotalSeconds:0.0} s\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

/// <summary>A process failed or timed out; the message carries its command line and everything it printed.</summary>
public sealed class ProcessFailedException(string reason, ProcessResult result) : Exception($"{reason}: {result}")
{
    public ProcessResult Result { get; } = result;
}

/// <summary>
/// Runs a process to completion and captures its output. A process that starts a background child holding the pipes
/// (a registry, a build server) does not hang the caller: after exit, output is collected for a short grace period only.
/// </summary>
public static class ProcessRunner
{
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(3);

    public static Task<ProcessResult> RunAsync(string fileName, params string[] arguments)
        => RunAsync(fileName, arguments, options: null);

    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, ProcessOptions? options, CancellationToken cancellationToken = default)
    {
        options ??= new ProcessOptions();
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = options.WorkingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        foreach (var (name, value) in options.Environment ?? new Dictionary<string, string?>())
        {
            if (value is null) startInfo.Environment.Remove(name);
            else startInfo.Environment[name] = value;
        }
        var commandLine = string.Join(' ', new[] { fileName }.Concat(startInfo.ArgumentList.Select(Quote)));

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();   // no test feeds input; a tool waiting for it must see end-of-file, not hang
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput, stdout, options.OnOutputLine),
            PumpAsync(process.StandardError, stderr, options.OnOutputLine));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            if (!timedOut) throw;
        }
        await Task.WhenAny(pumps, Task.Delay(OutputGrace, CancellationToken.None)).ConfigureAwait(false);

        var result = new ProcessResult(commandLine, timedOut ? -1 : process.ExitCode, Snapshot(stdout), Snapshot(stderr), clock.Elapsed);
        if (timedOut) throw new ProcessFailedException($"Timed out after {options.Timeout.TotalSeconds:0} s", result);
        if (options.CheckExitCode && result.ExitCode != 0) throw new ProcessFailedException($"Exit code {result.ExitCode}", result);
        return result;
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder sink, Action<string>? onLine)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (sink) sink.AppendLine(line);
                onLine?.Invoke(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The process was disposed while a background child still held the pipe: what we have is all we keep.
        }
    }

    private static string Snapshot(StringBuilder sink)
    {
        lock (sink) return sink.ToString();
    }

    private static string Quote(string argument)
        => argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./:=@,+".Contains(c)) ? argument : "'" + argument.Replace("'", "'\\''") + "'";
}
