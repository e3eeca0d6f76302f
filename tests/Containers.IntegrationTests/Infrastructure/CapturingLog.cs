using Containers.Oci.Diagnostics;
using Containers.Oci.Errors;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>
/// Everything a test's code under test says: its log lines, and the errors it raised (message and inner messages).
/// Forwarded to the test output, and checked at the end to hold no secret.
/// </summary>
public sealed class CapturingLog(ITestOutputHelper output) : IBuildLog
{
    private readonly List<string> _lines = [];
    private readonly HashSet<Exception> _errors = new(ReferenceEqualityComparer.Instance);

    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }

    public void Info(string message) => Add(message);

    public void Detail(string message) => Add(message);

    public void Warning(ContainerError warning, string message) => Add($"{warning.Code}: {message}");

    /// <summary>Records a failure the way a build would show it: its message, and every inner message.</summary>
    public void Error(Exception exception)
    {
        lock (_errors)
        {
            if (!_errors.Add(exception)) return;
        }
        for (var e = exception; e is not null; e = e.InnerException) Add($"error: {e.GetType().Name}: {e.Message}");
    }

    public void Add(string line)
    {
        lock (_lines) _lines.Add(line);
        try { output.WriteLine(line); }
        catch (InvalidOperationException) { }   // the test already finished: the line is still kept
    }

    /// <summary>Fails when any line holds any of the secrets.</summary>
    public void AssertNoSecrets(IEnumerable<string> secrets)
    {
        var leaked = (from line in Lines from secret in secrets where secret.Length >= 6 && line.Contains(secret, StringComparison.Ordinal) select line).ToList();
        Assert.True(leaked.Count == 0, $"A secret appears in the log:\n{string.Join('\n', leaked)}");
    }

    public bool Contains(string text) => Lines.Any(l => l.Contains(text, StringComparison.Ordinal));
}
