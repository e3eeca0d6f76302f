using Containers.Oci.Diagnostics;
using Containers.Oci.Errors;

namespace Containers.Oci.Tests.Support;

/// <summary>A build log that keeps every line, for tests that check what the engine reported.</summary>
public sealed class ListLog : IBuildLog
{
    private readonly List<string> _infos = [], _details = [];

    public IReadOnlyList<string> Infos { get { lock (_infos) return _infos.ToList(); } }
    public IReadOnlyList<string> Details { get { lock (_details) return _details.ToList(); } }

    public void Info(string message) { lock (_infos) _infos.Add(message); }
    public void Detail(string message) { lock (_details) _details.Add(message); }
    public void Warning(ContainerError warning, string message) { lock (_infos) _infos.Add($"{warning.Code}: {message}"); }
}
