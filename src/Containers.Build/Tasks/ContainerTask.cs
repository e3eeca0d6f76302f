using Containers.Oci.Diagnostics;
using Containers.Oci.Errors;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Containers.Build.Tasks;

/// <summary>
/// The shape every task here shares: async work with cancellation, and every failure logged as a coded error.
/// A user's mistake is a <see cref="ContainerException"/> and shows as its message; anything else is a bug and
/// shows as CONTAINER5999 with the stack only at diagnostic verbosity.
/// </summary>
public abstract class ContainerTask : Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly HashSet<string> _logged = new(StringComparer.Ordinal);

    public void Cancel() => _cancellation.Cancel();

    public sealed override bool Execute()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (jitMethods, jitTime) = (System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());
        try
        {
            ExecuteAsync(_cancellation.Token).GetAwaiter().GetResult();
        }
        catch (ContainerException e)
        {
            LogCoded(e.Error, e.Message);
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            Log.LogMessage(MessageImportance.High, "Container publishing was cancelled.");
            return false;
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is ContainerException))
        {
            foreach (var inner in e.InnerExceptions.Cast<ContainerException>()) LogCoded(inner.Error, inner.Message);
        }
        catch (Exception e)
        {
            LogCoded(ErrorCatalogue.UnexpectedFailure, ErrorCatalogue.UnexpectedFailure.Format($"{e.GetType().Name}: {e.Message}"));
            Log.LogMessage(MessageImportance.Low, e.ToString());
        }
        finally
        {
            // For performance work: how long the task took, and how much of it the JIT compiler (process-wide, so an
            // upper bound when other nodes run at the same time).
            Log.LogMessage(MessageImportance.Low, "{0} took {1:0} ms (JIT: {2} methods, {3:0} ms).", GetType().Name, clock.Elapsed.TotalMilliseconds,
                System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethods, (System.Runtime.JitInfo.GetCompilationTime() - jitTime).TotalMilliseconds);
        }
        return !Log.HasLoggedErrors;
    }

    protected abstract System.Threading.Tasks.Task ExecuteAsync(CancellationToken cancellationToken);

    /// <summary>The engine's log for this task: its warnings go through <see cref="LogCoded"/>, so they are reported once.</summary>
    protected IBuildLog EngineLog() => new MSBuildLog(Log, LogCoded);

    /// <summary>
    /// Logs a catalogue entry as an MSBuild warning or error with its code, once: a multi-platform publish checks the
    /// same settings for every platform, and the same finding need not be reported twice.
    /// </summary>
    protected void LogCoded(ContainerError error, string message)
    {
        lock (_logged)
        {
            if (!_logged.Add(error.Code + "\n" + message)) return;
        }
        if (error.IsWarning)
        {
            Log.LogWarning(null, error.Code, null, null, 0, 0, 0, 0, "{0}", message);
        }
        else
        {
            Log.LogError(null, error.Code, null, null, 0, 0, 0, 0, "{0}", message);
        }
    }

    protected static string[] Values(ITaskItem[]? items) => items?.Select(i => i.ItemSpec).Where(s => s.Length > 0).ToArray() ?? [];
}
