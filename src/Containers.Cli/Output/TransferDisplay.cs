using System.Collections.Concurrent;
using System.Diagnostics;
using Containers.Oci.Content;
using Spectre.Console;

namespace Containers.Cli.Output;

/// <summary>
/// Blob transfers as they happen: on a terminal, one Spectre progress bar per blob (what, share done, bytes, rate) drawn
/// while the command runs; elsewhere, one plain line per finished blob (what, size, time, rate), which a CI log keeps
/// readable. Transfers report from several threads at once.
/// </summary>
public sealed class TransferDisplay(IAnsiConsole? live, Action<string>? plain)
{
    private readonly ConcurrentDictionary<string, Transfer> _transfers = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private ProgressContext? _context;

    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        if (live is null) return await work();
        return await live.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(async context =>
            {
                _context = context;
                try
                {
                    return await work();
                }
                finally
                {
                    _context = null;
                }
            });
    }

    public void Started(string id, string description, long? total)
    {
        ProgressTask? bar = null;
        if (_context is { } context)
        {
            lock (_gate)
            {
                bar = context.AddTask(Markup.Escape(Label(description)), maxValue: Math.Max(1, total ?? 1));
                bar.IsIndeterminate = total is null;   // a layer uploaded while it is written: its size comes at the end
            }
        }
        _transfers[id] = new Transfer(description, total, Stopwatch.StartNew(), bar);
    }

    public void Advanced(string id, long bytes)
    {
        if (!_transfers.TryGetValue(id, out var transfer)) return;
        Interlocked.Add(ref transfer.Bytes, bytes);
        transfer.Bar?.Increment(bytes);
    }

    public void Finished(string id)
    {
        if (!_transfers.TryRemove(id, out var transfer)) return;
        if (transfer.Bar is { } bar)
        {
            bar.Value = bar.MaxValue;
            bar.StopTask();
            return;
        }
        var seconds = Math.Max(transfer.Clock.Elapsed.TotalSeconds, 0.001);
        var bytes = Interlocked.Read(ref transfer.Bytes);
        plain?.Invoke($"{char.ToUpperInvariant(transfer.Description[0])}{transfer.Description[1..]}: {ByteSize.Format(bytes)} in {seconds:0.0} s ({ByteSize.Format((long)(bytes / seconds))}/s)"
            + (transfer.Total is { } total && bytes < total ? $", stopped at {ByteSize.Format(bytes)} of {ByteSize.Format(total)}" : "") + ".");
    }

    /// <summary>A bar's label: what moves (<c>upload sha256:4f1c…</c>), without where, so bars fit an 80-column terminal.</summary>
    private static string Label(string description) => string.Join(' ', description.Split(' ').Take(2));

    private sealed class Transfer(string description, long? total, Stopwatch clock, ProgressTask? bar)
    {
        public string Description { get; } = description;
        public long? Total { get; } = total;
        public Stopwatch Clock { get; } = clock;
        public ProgressTask? Bar { get; } = bar;
        public long Bytes;
    }
}
