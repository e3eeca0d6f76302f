using Containers.Oci.Diagnostics;
using Containers.Oci.Errors;
using Spectre.Console;

namespace Containers.Cli.Output;

/// <summary>
/// The engine's log on standard error, so standard output carries only results: information lines unless quiet,
/// details under --verbose, warnings always, each with its code. Blob transfers (<see cref="ITransferProgress"/>) are
/// progress bars on a terminal (<see cref="TransferDisplay"/>), one plain line each when finished otherwise (redirected,
/// CI, TERM=dumb). Colour only on a terminal, and never with NO_COLOR.
/// </summary>
public sealed class ConsoleLog : IBuildLog, ITransferProgress, IDisposable
{
    private readonly CliConsole _console;
    private readonly IAnsiConsole? _terminal;
    private readonly TransferDisplay _transfers;
    private readonly object _gate = new();

    public ConsoleLog(CliConsole console, bool quiet, bool verbose)
    {
        _console = console;
        Quiet = quiet;
        Verbose = verbose;
        if (console.ErrorIsTerminal && console.Environment("TERM") != "dumb")
        {
            _terminal = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(console.Error),
                Ansi = AnsiSupport.Detect,
                ColorSystem = console.NoColor ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
                Interactive = InteractionSupport.Yes,
            });
        }
        var live = _terminal is not null && !quiet && !console.InContinuousIntegration;
        _transfers = new TransferDisplay(live ? _terminal : null, quiet ? null : Line);
    }

    public bool Quiet { get; }
    public bool Verbose { get; }

    /// <summary>Runs a command's work, with the progress bars drawn while it runs when they are shown at all.</summary>
    public Task<T> RunAsync<T>(Func<Task<T>> work) => _transfers.RunAsync(work);

    public void Info(string message)
    {
        if (!Quiet) Line(message);
    }

    public void Detail(string message)
    {
        if (Verbose) Line(message);
    }

    public void Warning(ContainerError warning, string message) => Coded("warning", "yellow", warning.Code, message);

    public void Error(string? code, string message) => Coded("error", "red", code, message);

    public void Started(string id, string description, long? total) => _transfers.Started(id, description, total);

    public void Advanced(string id, long bytes) => _transfers.Advanced(id, bytes);

    public void Finished(string id) => _transfers.Finished(id);

    private void Coded(string kind, string colour, string? code, string message)
    {
        var prefix = code is null ? kind : $"{kind} {code}";
        lock (_gate)
        {
            if (_terminal is not null) _terminal.MarkupLineInterpolated($"[{colour}]{prefix}[/]: {message}");
            else _console.Error.WriteLine($"{prefix}: {message}");
        }
    }

    private void Line(string message)
    {
        lock (_gate)
        {
            // On a terminal the line goes through the live display, which keeps it above the bars it redraws.
            if (_terminal is not null) _terminal.WriteLine(message);
            else _console.Error.WriteLine(message);
        }
    }

    public void Dispose() => _console.Error.Flush();
}
