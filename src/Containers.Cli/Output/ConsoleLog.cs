using Containers.Oci.Diagnostics;
using Containers.Oci.Errors;
using Spectre.Console;

namespace Containers.Cli.Output;

/// <summary>
/// The engine's log on standard error, so standard output carries only results. Information lines unless quiet,
/// details under --verbose, warnings always, each with its code. Colour only on a terminal and without NO_COLOR.
/// </summary>
public sealed class ConsoleLog : IBuildLog, IDisposable
{
    private readonly CliConsole _console;
    private readonly IAnsiConsole? _ansi;
    private readonly object _gate = new();

    public ConsoleLog(CliConsole console, bool quiet, bool verbose)
    {
        _console = console;
        Quiet = quiet;
        Verbose = verbose;
        if (console.ErrorIsTerminal && !console.NoColor)
        {
            _ansi = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(console.Error),
                Ansi = AnsiSupport.Detect,
                ColorSystem = ColorSystemSupport.Detect,
            });
        }
    }

    public bool Quiet { get; }
    public bool Verbose { get; }

    /// <summary>The terminal with colour, or null when lines must be plain (redirected, CI, NO_COLOR).</summary>
    internal IAnsiConsole? Ansi => _ansi;

    /// <summary>Shown above a live progress display while one runs, so lines and bars never overwrite each other.</summary>
    internal Action<string>? LineSink { get; set; }

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

    private void Coded(string kind, string colour, string? code, string message)
    {
        var prefix = code is null ? kind : $"{kind} {code}";
        lock (_gate)
        {
            if (_ansi is not null && LineSink is null) _ansi.MarkupLineInterpolated($"[{colour}]{prefix}[/]: {message}");
            else Line($"{prefix}: {message}");
        }
    }

    private void Line(string message)
    {
        lock (_gate)
        {
            if (LineSink is { } sink) sink(message);
            else _console.Error.WriteLine(message);
        }
    }

    public void Dispose() => _console.Error.Flush();
}
